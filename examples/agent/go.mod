module libfasco.org/fasco/examples/agent

go 1.19

require libfasco.org/fasco v0.0.0

replace libfasco.org/fasco => ../../bindings/go
