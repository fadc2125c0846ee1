# --help in Chinese
--help --lang zh
