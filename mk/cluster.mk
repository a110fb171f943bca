# The cluster profile (docs/operations.md) and the faults it must survive: broker, TaskManager, stream driver
# and Spark worker killed, the landing disk full. The tests start the whole profile on their own ports
# (infra/with-cluster.sh) and stop it again; they run in `make test` (about a quarter of CI's time).
.PHONY: cluster-up cluster-down test-cluster bench-soak
TEST_TARGETS += test-cluster

cluster-up: build bootstrap-infra bootstrap-beam
	bin/phonepipe infra up --profile cluster
	eval "$$(bin/phonepipe infra env --profile cluster)" && bin/phonepipe schemas register

cluster-down:
	bin/phonepipe infra down --profile cluster

test-cluster: build bootstrap-infra bootstrap-beam
	@echo "== cluster profile fault tests (mocha, 3 Kafka nodes, Flink session cluster, Spark standalone)"
	infra/with-cluster.sh mocha --config .mocharc.cluster.json

# Ten minutes at a steady rate on the cluster profile; RSS of every process every 10 s (PHONEPIPE_SOAK_SECONDS,
# PHONEPIPE_SOAK_RATE). The last line is one JSON object.
bench-soak: build bootstrap-infra bootstrap-beam
	infra/with-cluster.sh node dist/bench/soak/soak.js
