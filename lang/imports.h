/* imports.h - shared bases: `import`, `override` and `remove`, resolved
 * into one list of declarations before the checker runs (compile.c). */
#ifndef TALLY_IMPORTS_H
#define TALLY_IMPORTS_H

#include "lang/base/diag.h"
#include "program.h"

/* At most this many files take part in one rule file's imports, and
 * their text adds up to at most this many bytes. */
#define IMPORTS_MAX_FILES 64
#define IMPORTS_MAX_BYTES ((size_t)16 << 20)

/* Resolve the imports of p's parsed tree (p->ast, the first file's): read
 * each imported file (a path relative to the file that imports it),
 * append its text to p->src as a part and parse it; put its declarations
 * where the import stands (its tests excepted), replace the declarations
 * an `override` names in place, and take out those `remove` names.  A file
 * imported twice is read once.  Every error (a file that cannot be read, a
 * cycle, an override or a removal of something no import declares) is
 * appended to diags, pointing into the file it concerns.  With `allowed`
 * false (program_compile_sealed) every import is an error and no file is
 * read. */
void imports_resolve(Program *p, bool allowed, DiagList *diags);
/* When the declarations at `first` and `again` come from different files
 * (one imported), hint that the second should say `override WHAT`. */
void imports_hint(const Source *src, Diag *d, Span first, Span again, const char *what);

#endif
