//! SIGINT/SIGTERM → cancellation token; a second signal exits at once.
