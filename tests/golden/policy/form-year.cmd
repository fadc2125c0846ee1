# A form's 年度 cell (rules/forms.tally: figure 年度 = right(年度)) is the report's year: its version is chosen by it.
score examples/versions/rules %dir%/form-with-year.csv
