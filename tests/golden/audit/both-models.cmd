score %dir%/both-models.tally examples/longhui-hrss-2024/table.csv %dir%/both-models-figures.csv
