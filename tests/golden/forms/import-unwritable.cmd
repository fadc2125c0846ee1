# tally import into a folder that cannot be made: exit 3, nothing written
import tests/forms/seed/16-no-head.csv -o /nonexistent/forms
