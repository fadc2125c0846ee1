# The year from a wide column (year or 年度), --year for reports that state none.
score %dir%/wide-versions %dir%/wide-years.csv --year 2023 --format csv
