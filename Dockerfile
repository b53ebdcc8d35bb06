# syntax=docker/dockerfile:1
#
# news-enricher: multi-stage build.
#   builder  compiles the release binary with TLS/SASL (vendored OpenSSL, so the
#            builder needs perl and make; librdkafka itself is built from source)
#   runtime  Debian slim, the binary, models/, config/ and the sample articles,
#            running as an unprivileged user.
#
#   docker build -t news-enricher .
#   docker run --rm -e NEWS_ENRICHER__KAFKA__BROKERS=broker:9092 news-enricher run

ARG RUST_VERSION=1
ARG DEBIAN_RELEASE=bookworm

FROM rust:${RUST_VERSION}-${DEBIAN_RELEASE} AS builder
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      perl make pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY config ./config
COPY resources ./resources
COPY benches ./benches
COPY tests ./tests
# The registry and the target directory are cache mounts: rebuilds after a
# source change recompile only the crate itself.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --features tls --bin news-enricher \
 && install -m 0755 target/release/news-enricher /usr/local/bin/news-enricher

FROM debian:${DEBIAN_RELEASE}-slim AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 enricher \
 && useradd --system --uid 10001 --gid enricher --home-dir /app --shell /usr/sbin/nologin enricher
WORKDIR /app
COPY --from=builder /usr/local/bin/news-enricher /usr/local/bin/news-enricher
COPY config ./config
COPY models ./models
COPY samples ./samples
USER enricher:enricher
# Containers listen on every interface; the metrics port is published by the orchestrator.
# The vendored OpenSSL looks for CA certificates under its own prefix: point it
# at the system bundle for TLS connections to the brokers.
ENV NEWS_ENRICHER__HTTP__LISTEN=0.0.0.0:9464 \
    NEWS_ENRICHER__ENRICH__MODELS_DIR=/app/models \
    NEWS_ENRICHER__LOG__FORMAT=json \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    SSL_CERT_DIR=/etc/ssl/certs
EXPOSE 9464
ENTRYPOINT ["/usr/local/bin/news-enricher"]
CMD ["run"]
