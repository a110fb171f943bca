# The topic catalog (schemas/avro/*.topic.yaml): regenerate the files derived from it. A unit test fails
# when they drift, so run this after changing a catalog entry or a contract and commit the result.
.PHONY: catalog
catalog: build
	bin/phonepipe catalog generate
