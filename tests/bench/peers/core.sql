-- sqlite3 -cmd '.import --csv LONG.csv rows' DB < core.sql
-- The core of issue 16 (README.md) in SQL, over the long CSV imported as
-- table rows (its header names the columns; every cell is TEXT).
-- CAST(x AS REAL) reads a cell's leading number, so the unit drops off.
.mode list
.separator ,
WITH cells AS (
  SELECT rowid AS id, report, level1, level2, actual, reason,
         CAST(weight AS REAL) AS w, CAST(reported AS REAL) AS rep,
         target LIKE '≤%' OR level2 = '成本指标' AS le,
         CASE WHEN target LIKE '≥%' OR target LIKE '≤%' THEN substr(target, 2) ELSE target END AS t
  FROM rows
), scored AS (
  SELECT *,
    CASE
      WHEN level1 IN ('总分', '自评结论') THEN NULL
      WHEN NOT t GLOB '[0-9]*' THEN CASE WHEN actual = t THEN w ELSE 0 END  -- text
      WHEN le THEN CASE WHEN CAST(actual AS REAL) <= CAST(t AS REAL) THEN w
                        WHEN CAST(actual AS REAL) >= 2 * CAST(t AS REAL) THEN 0
                        ELSE round(w * (2 * CAST(t AS REAL) - CAST(actual AS REAL)) / CAST(t AS REAL), 2) END
      ELSE CASE WHEN CAST(actual AS REAL) >= CAST(t AS REAL) THEN w
                ELSE round(w * CAST(actual AS REAL) / CAST(t AS REAL), 2) END
    END AS s
  FROM cells
), reports AS (
  SELECT min(id) AS first, report,
         sum(s) AS total,
         sum(CASE WHEN s IS NOT NULL THEN rep END) AS rep_sum,
         max(CASE WHEN level1 = '总分' THEN rep END) AS stated,
         sum(s = w AND rep < w - 0.005 AND reason IN ('', '无')) AS deducted
  FROM scored GROUP BY report
)
SELECT report, printf('%.2f', total), printf('%.2f', rep_sum), printf('%.2f', stated),
       deducted + (abs(stated - rep_sum) > 0.005)
FROM reports ORDER BY first;
