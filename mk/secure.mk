# The secure profile (docs/security.md): Kafka with SASL/SCRAM over TLS and least-privilege ACLs, the
# registry. The tests start it clean on their own ports (infra/with-secure.sh), check who is refused and who
# is allowed, and stop it again; they run in `make test`.
.PHONY: secure-up secure-down test-secure
TEST_TARGETS += test-secure

secure-up: build bootstrap-infra
	bin/phonepipe infra up --profile secure
	eval "$$(bin/phonepipe infra env --profile secure)" && bin/phonepipe schemas register

secure-down:
	bin/phonepipe infra down --profile secure

test-secure: build bootstrap
	@echo "== secure profile tests (mocha, Kafka SASL_SSL + ACLs, registry)"
	infra/with-secure.sh mocha --config .mocharc.secure.json
