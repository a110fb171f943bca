# Local platform: Kafka + Apicurio registry resolved from Maven Central into $(PHONEPIPE_CACHE).
.PHONY: bootstrap-infra infra-up infra-down
bootstrap-infra:
	infra/bootstrap.sh

BOOTSTRAP_TARGETS += bootstrap-infra

infra-up: build bootstrap-infra
	bin/phonepipe infra up
	bin/phonepipe schemas register

infra-down:
	bin/phonepipe infra down
