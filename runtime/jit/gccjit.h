/* gccjit.h - libgccjit, loaded with dlopen() by the compiling child.
 *
 * tally does not link libgccjit: only the child process that compiles a
 * rule file loads it (child.c), so a machine without libgccjit still runs the
 * interpreter, and the host process never maps GCC.  This header lists the
 * entry points the code generator uses and makes each gcc_jit_* name refer to the
 * pointer loaded for it, so the code generator reads like the libgccjit
 * tutorial.  Only the generator's files include it (gen_state.h), after
 * libgccjit.h; gen.c defines the pointers and loads them.
 */
#ifndef TALLY_JIT_GCCJIT_H
#define TALLY_JIT_GCCJIT_H

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include <libgccjit.h>

#define GCCJIT_FUNCTIONS(X)                                                                      \
    X(gcc_jit_context_acquire) X(gcc_jit_context_release) X(gcc_jit_context_set_int_option)      \
    X(gcc_jit_context_set_bool_option) X(gcc_jit_context_add_command_line_option)                \
    X(gcc_jit_context_set_bool_allow_unreachable_blocks)                                         \
    X(gcc_jit_context_set_bool_print_errors_to_stderr) X(gcc_jit_context_get_first_error)        \
    X(gcc_jit_context_compile_to_file) X(gcc_jit_context_dump_to_file)                           \
    X(gcc_jit_context_new_location) X(gcc_jit_context_get_type) X(gcc_jit_context_get_int_type)  \
    X(gcc_jit_type_get_pointer) X(gcc_jit_type_get_const) X(gcc_jit_context_new_array_type)      \
    X(gcc_jit_context_new_field) X(gcc_jit_context_new_struct_type)                              \
    X(gcc_jit_context_new_union_type) X(gcc_jit_struct_as_type)                                  \
    X(gcc_jit_context_new_function_ptr_type) X(gcc_jit_context_new_param)                        \
    X(gcc_jit_param_as_rvalue) X(gcc_jit_param_as_lvalue) X(gcc_jit_context_new_function)        \
    X(gcc_jit_function_new_block) X(gcc_jit_function_new_local) X(gcc_jit_function_get_address)  \
    X(gcc_jit_function_get_param)                                                                \
    X(gcc_jit_block_add_assignment) X(gcc_jit_block_add_assignment_op) X(gcc_jit_block_add_eval) \
    X(gcc_jit_block_add_comment) X(gcc_jit_block_end_with_conditional)                           \
    X(gcc_jit_block_end_with_jump) X(gcc_jit_block_end_with_return)                              \
    X(gcc_jit_block_end_with_void_return) X(gcc_jit_context_new_rvalue_from_int)                 \
    X(gcc_jit_context_new_rvalue_from_long) X(gcc_jit_context_null)                              \
    X(gcc_jit_context_new_binary_op) X(gcc_jit_context_new_unary_op)                             \
    X(gcc_jit_context_new_comparison) X(gcc_jit_context_new_call)                                \
    X(gcc_jit_context_new_call_through_ptr) X(gcc_jit_context_new_cast)                          \
    X(gcc_jit_context_new_array_access) X(gcc_jit_lvalue_as_rvalue)                              \
    X(gcc_jit_lvalue_access_field) X(gcc_jit_rvalue_access_field)                                \
    X(gcc_jit_rvalue_dereference_field) X(gcc_jit_rvalue_dereference)                            \
    X(gcc_jit_lvalue_get_address) X(gcc_jit_context_new_global)                                  \
    X(gcc_jit_global_set_initializer) X(gcc_jit_context_get_builtin_function)                    \
    X(gcc_jit_version_major) X(gcc_jit_version_minor) X(gcc_jit_version_patchlevel)

typedef struct GccJit {
#define GCCJIT_MEMBER(name) __typeof__(&name) name;
    GCCJIT_FUNCTIONS(GCCJIT_MEMBER)
#undef GCCJIT_MEMBER
} GccJit;

/* Load libgccjit: first the library this build was configured with, then
 * whatever the dynamic linker finds as libgccjit.so.0 (TALLY_LIBGCCJIT, when
 * set, names the only library to try).  Returns false with a message in err. */
static inline bool gccjit_load(GccJit *api, char *err, size_t errn)
{
    void *h = NULL;
    const char *forced = getenv("TALLY_LIBGCCJIT"); /* tests: this library and no other */
    if (forced && *forced) {
        h = dlopen(forced, RTLD_NOW | RTLD_LOCAL);
    } else {
#ifdef TALLY_GCCJIT_LIB
        h = dlopen(TALLY_GCCJIT_LIB, RTLD_NOW | RTLD_LOCAL);
#endif
        if (!h)
            h = dlopen("libgccjit.so.0", RTLD_NOW | RTLD_LOCAL);
    }
    if (!h) {
        snprintf(err, errn, "cannot load libgccjit: %s", dlerror());
        return false;
    }
#define GCCJIT_LOAD(name)                                                                        \
    *(void **)&api->name = dlsym(h, #name);                                                      \
    if (!api->name) {                                                                            \
        snprintf(err, errn, "libgccjit lacks %s (too old?)", #name);                             \
        return false;                                                                            \
    }
    GCCJIT_FUNCTIONS(GCCJIT_LOAD)
#undef GCCJIT_LOAD
    return true;
}

/* From here on, gcc_jit_* calls go through the loaded pointers. */
extern GccJit gccjit;
#define gcc_jit_context_acquire gccjit.gcc_jit_context_acquire
#define gcc_jit_context_release gccjit.gcc_jit_context_release
#define gcc_jit_context_set_int_option gccjit.gcc_jit_context_set_int_option
#define gcc_jit_context_set_bool_option gccjit.gcc_jit_context_set_bool_option
#define gcc_jit_context_add_command_line_option gccjit.gcc_jit_context_add_command_line_option
#define gcc_jit_context_set_bool_allow_unreachable_blocks                                        \
    gccjit.gcc_jit_context_set_bool_allow_unreachable_blocks
#define gcc_jit_context_set_bool_print_errors_to_stderr                                          \
    gccjit.gcc_jit_context_set_bool_print_errors_to_stderr
#define gcc_jit_context_get_first_error gccjit.gcc_jit_context_get_first_error
#define gcc_jit_context_compile_to_file gccjit.gcc_jit_context_compile_to_file
#define gcc_jit_context_dump_to_file gccjit.gcc_jit_context_dump_to_file
#define gcc_jit_context_new_location gccjit.gcc_jit_context_new_location
#define gcc_jit_context_get_type gccjit.gcc_jit_context_get_type
#define gcc_jit_context_get_int_type gccjit.gcc_jit_context_get_int_type
#define gcc_jit_type_get_pointer gccjit.gcc_jit_type_get_pointer
#define gcc_jit_type_get_const gccjit.gcc_jit_type_get_const
#define gcc_jit_context_new_array_type gccjit.gcc_jit_context_new_array_type
#define gcc_jit_context_new_field gccjit.gcc_jit_context_new_field
#define gcc_jit_context_new_struct_type gccjit.gcc_jit_context_new_struct_type
#define gcc_jit_context_new_union_type gccjit.gcc_jit_context_new_union_type
#define gcc_jit_struct_as_type gccjit.gcc_jit_struct_as_type
#define gcc_jit_context_new_function_ptr_type gccjit.gcc_jit_context_new_function_ptr_type
#define gcc_jit_context_new_param gccjit.gcc_jit_context_new_param
#define gcc_jit_param_as_rvalue gccjit.gcc_jit_param_as_rvalue
#define gcc_jit_param_as_lvalue gccjit.gcc_jit_param_as_lvalue
#define gcc_jit_context_new_function gccjit.gcc_jit_context_new_function
#define gcc_jit_function_new_block gccjit.gcc_jit_function_new_block
#define gcc_jit_function_new_local gccjit.gcc_jit_function_new_local
#define gcc_jit_function_get_address gccjit.gcc_jit_function_get_address
#define gcc_jit_function_get_param gccjit.gcc_jit_function_get_param
#define gcc_jit_block_add_assignment gccjit.gcc_jit_block_add_assignment
#define gcc_jit_block_add_assignment_op gccjit.gcc_jit_block_add_assignment_op
#define gcc_jit_block_add_eval gccjit.gcc_jit_block_add_eval
#define gcc_jit_block_add_comment gccjit.gcc_jit_block_add_comment
#define gcc_jit_block_end_with_conditional gccjit.gcc_jit_block_end_with_conditional
#define gcc_jit_block_end_with_jump gccjit.gcc_jit_block_end_with_jump
#define gcc_jit_block_end_with_return gccjit.gcc_jit_block_end_with_return
#define gcc_jit_block_end_with_void_return gccjit.gcc_jit_block_end_with_void_return
#define gcc_jit_context_new_rvalue_from_int gccjit.gcc_jit_context_new_rvalue_from_int
#define gcc_jit_context_new_rvalue_from_long gccjit.gcc_jit_context_new_rvalue_from_long
#define gcc_jit_context_null gccjit.gcc_jit_context_null
#define gcc_jit_context_new_binary_op gccjit.gcc_jit_context_new_binary_op
#define gcc_jit_context_new_unary_op gccjit.gcc_jit_context_new_unary_op
#define gcc_jit_context_new_comparison gccjit.gcc_jit_context_new_comparison
#define gcc_jit_context_new_call gccjit.gcc_jit_context_new_call
#define gcc_jit_context_new_call_through_ptr gccjit.gcc_jit_context_new_call_through_ptr
#define gcc_jit_context_new_cast gccjit.gcc_jit_context_new_cast
#define gcc_jit_context_new_array_access gccjit.gcc_jit_context_new_array_access
#define gcc_jit_lvalue_as_rvalue gccjit.gcc_jit_lvalue_as_rvalue
#define gcc_jit_lvalue_access_field gccjit.gcc_jit_lvalue_access_field
#define gcc_jit_rvalue_access_field gccjit.gcc_jit_rvalue_access_field
#define gcc_jit_rvalue_dereference_field gccjit.gcc_jit_rvalue_dereference_field
#define gcc_jit_rvalue_dereference gccjit.gcc_jit_rvalue_dereference
#define gcc_jit_lvalue_get_address gccjit.gcc_jit_lvalue_get_address
#define gcc_jit_context_new_global gccjit.gcc_jit_context_new_global
#define gcc_jit_global_set_initializer gccjit.gcc_jit_global_set_initializer
#define gcc_jit_context_get_builtin_function gccjit.gcc_jit_context_get_builtin_function
#define gcc_jit_version_major gccjit.gcc_jit_version_major
#define gcc_jit_version_minor gccjit.gcc_jit_version_minor
#define gcc_jit_version_patchlevel gccjit.gcc_jit_version_patchlevel

#endif
