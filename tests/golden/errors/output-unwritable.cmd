# -o into a folder that does not exist: exit 3, nothing written.
score %dir%/figures.tally %dir%/good.csv -o %dir%/no-such-folder/out.csv
