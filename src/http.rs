//! HTTP listener: /healthz, /readyz, /metrics.
