/* module.c - the extension's module: its magic block, the version, call memos. */
#include "tally_pg.h"

#include "utils/builtins.h"

PG_MODULE_MAGIC;

CallMemo *call_memo(FunctionCallInfo fcinfo)
{
    FmgrInfo *fl = fcinfo->flinfo;
    if (!fl->fn_extra)
        fl->fn_extra = MemoryContextAllocZero(fl->fn_mcxt, sizeof(CallMemo));
    return fl->fn_extra;
}

PG_FUNCTION_INFO_V1(tallypg_version);
/* tally_version(): the version of the Tally library linked in. */
Datum tallypg_version(PG_FUNCTION_ARGS)
{
    PG_RETURN_TEXT_P(cstring_to_text(tally_version()));
}
