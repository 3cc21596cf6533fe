module libfasco.org/fasco

go 1.19
