# CareDesk. `make run` and `make test` work on a fresh Debian 12 machine as
# root: they install what is missing, build, and run.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
DATA_DIR ?= $(abspath ../shared/data)
DB ?= var/caredesk.db
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps build build-native build-web run test test-unit bench fuzz clean

all: build

deps:
	@scripts/install-deps.sh

build: deps build-native build-web

build-native:
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DCAREDESK_DATA_DIR=$(DATA_DIR) \
	  -DCAREDESK_WERROR=$(if $(CI),ON,OFF) >/dev/null
	@ninja -C $(BUILD_DIR)
	@test -x $(BUILD_DIR)/caredesk && echo "built $(BUILD_DIR)/caredesk"

build-web:
	@cd web && npm run build --silent

run: build
	@scripts/run.sh "$(BUILD_DIR)/caredesk" "$(DB)" "$(LISTEN)"

test: build
	@scripts/test.sh "$(BUILD_DIR)"

bench: build
	@scripts/bench.sh "$(BUILD_DIR)"

clean:
	rm -rf $(BUILD_DIR) web/dist
