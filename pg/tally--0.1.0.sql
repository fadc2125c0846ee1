-- tally--0.1.0.sql - the SQL of the tally extension (README.md).
\echo Use "CREATE EXTENSION tally" to load this file. \quit

CREATE FUNCTION tally_version() RETURNS text
    AS 'MODULE_PATHNAME', 'tallypg_version'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Rule files ------------------------------------------------------------------

-- True, or ERROR 42601 with the first problem's line and column (and every
-- diagnostic in the DETAIL).  name prefixes the diagnostics.
CREATE FUNCTION tally_check(rules text, name text DEFAULT 'rules') RETURNS boolean
    AS 'MODULE_PATHNAME', 'tallypg_check'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Every error and warning of a rule file as rows; none for a clean file.
CREATE FUNCTION tally_diagnostics(rules text, name text DEFAULT 'rules')
    RETURNS TABLE (severity text, line integer, col integer, message text, hint text)
    AS 'MODULE_PATHNAME', 'tallypg_diagnostics'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 4;

-- Named rule sets: stored once, compiled once per backend.  The constraint
-- keeps a rule file that does not compile out of the table.
CREATE TABLE tally_rule_set (
    name text PRIMARY KEY,
    source text NOT NULL CONSTRAINT tally_rule_set_compiles CHECK (tally_check(source, name)),
    comment text
);
SELECT pg_catalog.pg_extension_config_dump('tally_rule_set', '');

-- One report as jsonb (docs/data.md, JSON) ---------------------------------------

-- The JSON object `tally score --format json` prints for the report.
CREATE FUNCTION tally_score(rules text, report jsonb) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'tallypg_score'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1000;

-- The same with the "explain" lines of `tally score --explain`.
CREATE FUNCTION tally_explain(rules text, report jsonb) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'tallypg_explain'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1000;

CREATE FUNCTION tally_findings(rules text, report jsonb)
    RETURNS TABLE (kind text, severity text, subject text, message text)
    AS 'MODULE_PATHNAME', 'tallypg_findings'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1000 ROWS 8;

CREATE FUNCTION tally_score_named(rule_set text, report jsonb) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'tallypg_score_named'
    LANGUAGE C STABLE STRICT PARALLEL SAFE COST 1000;

CREATE FUNCTION tally_explain_named(rule_set text, report jsonb) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'tallypg_explain_named'
    LANGUAGE C STABLE STRICT PARALLEL SAFE COST 1000;

CREATE FUNCTION tally_findings_named(rule_set text, report jsonb)
    RETURNS TABLE (kind text, severity text, subject text, message text)
    AS 'MODULE_PATHNAME', 'tallypg_findings_named'
    LANGUAGE C STABLE STRICT PARALLEL SAFE COST 1000 ROWS 8;

-- A report's table from its rows, GROUP BY report ----------------------------------
-- Cells are text as written (cast numbers: weight::text); NULL is an empty
-- cell.  line orders the rows and numbers them in "row" (source:line).

CREATE FUNCTION tally_rows_step(internal, rules text, source text, report text, line integer,
                                level1 text, level2 text, indicator text, target text,
                                actual text, weight text, reported text)
    RETURNS internal AS 'MODULE_PATHNAME', 'tallypg_rows_step'
    LANGUAGE C PARALLEL SAFE;

CREATE FUNCTION tally_rows_step(internal, rules text, source text, report text, line integer,
                                level1 text, level2 text, indicator text, target text,
                                actual text, weight text, reported text, reason text)
    RETURNS internal AS 'MODULE_PATHNAME', 'tallypg_rows_step'
    LANGUAGE C PARALLEL SAFE;

CREATE FUNCTION tally_rows_final(internal) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'tallypg_rows_final'
    LANGUAGE C PARALLEL SAFE;

CREATE FUNCTION tally_rows_final_named(internal) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'tallypg_rows_final_named'
    LANGUAGE C STABLE PARALLEL SAFE;

CREATE AGGREGATE tally_score_rows(rules text, source text, report text, line integer,
                                  level1 text, level2 text, indicator text, target text,
                                  actual text, weight text, reported text) (
    SFUNC = tally_rows_step, STYPE = internal, FINALFUNC = tally_rows_final,
    PARALLEL = SAFE
);

CREATE AGGREGATE tally_score_rows(rules text, source text, report text, line integer,
                                  level1 text, level2 text, indicator text, target text,
                                  actual text, weight text, reported text, reason text) (
    SFUNC = tally_rows_step, STYPE = internal, FINALFUNC = tally_rows_final,
    PARALLEL = SAFE
);

CREATE AGGREGATE tally_score_rows_named(rule_set text, source text, report text, line integer,
                                        level1 text, level2 text, indicator text, target text,
                                        actual text, weight text, reported text) (
    SFUNC = tally_rows_step, STYPE = internal, FINALFUNC = tally_rows_final_named,
    PARALLEL = SAFE
);

CREATE AGGREGATE tally_score_rows_named(rule_set text, source text, report text, line integer,
                                        level1 text, level2 text, indicator text, target text,
                                        actual text, weight text, reported text, reason text) (
    SFUNC = tally_rows_step, STYPE = internal, FINALFUNC = tally_rows_final_named,
    PARALLEL = SAFE
);
