# The two quick-start commands. Each installs what is missing and is safe to run again.
.PHONY: up test test-cluster bench

up:    ## set up, build the site and run the platform on http://127.0.0.1:4321
	@bash scripts/up.sh

test:  ## set up, then run every test layer
	@bash scripts/test.sh

test-cluster: ## only the cluster layer: a 3-node swarm on this machine, its tests, then removed
	@bash scripts/setup.sh --test && bash scripts/test-cluster-suite.sh

bench: ## measure the performance budget against same-run baselines into BENCHMARKS.md
	@bash scripts/setup.sh --test && PATH="$(CURDIR)/node_modules/.bin:$$PATH" node bench/run.ts
