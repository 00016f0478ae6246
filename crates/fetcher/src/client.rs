//! The HTTP core: every request goes through [`Client::call`], which paces, retries and
//! verifies.

use std::{sync::Arc, time::Duration};

use rand::Rng;
use reqwest::{StatusCode, header::RETRY_AFTER};
use tokio::time::Instant;
use url::Url;

use crate::{
    Config, Error,
    limiter::Limiter,
    xml::{Verdict, snippet},
};

/// POST instead of GET when the query string would be longer than this.
const POST_OVER: usize = 1800;

/// Attempts after which failing to connect at all is final.
const MAX_CONNECT_FAILURES: u32 = 3;

/// The E-utilities client. Cheap to clone; clones share the connection pool and the
/// process-wide rate limiter.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) config: Config,
    base: Url,
    http: reqwest::Client,
    limiter: Arc<Limiter>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `config`; fails on an unusable base URL or zero batch size.
    pub fn new(config: Config) -> Result<Self, Error> {
        let mut base_str = config.base_url.trim().to_string();
        if !base_str.ends_with('/') {
            base_str.push('/');
        }
        let base = Url::parse(&base_str)
            .map_err(|e| Error::Config(format!("base URL {base_str:?}: {e}")))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(Error::Config(format!(
                "base URL {base_str:?}: only http and https are supported"
            )));
        }
        if config.batch_size == 0 {
            return Err(Error::Config("batch size must be at least 1".into()));
        }
        if config.max_search_ids == 0 {
            return Err(Error::Config("max_search_ids must be at least 1".into()));
        }
        // TLS is rustls with the `ring` provider; reqwest takes the process default. `Err` means
        // one is installed already (a second client, or the embedding program's choice).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("casebook/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {}", e.without_url())))?;
        let limiter = Limiter::shared(base.as_str(), config.rate_limit());
        Ok(Self {
            inner: Arc::new(Inner {
                config,
                base,
                http,
                limiter,
            }),
        })
    }

    /// The configuration in use.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Removes the API key from `s`.
    pub(crate) fn redact(&self, s: &str) -> String {
        match &self.inner.config.api_key {
            Some(k) if !k.is_empty() => s.replace(k.as_str(), "<api_key>"),
            _ => s.to_string(),
        }
    }

    /// How a request is named in errors: method, URL and parameters, without the key, with
    /// long id lists and terms shortened.
    fn describe(&self, util: &str, params: &[(&str, String)], post: bool) -> String {
        let shown: Vec<String> = params
            .iter()
            .map(|(k, v)| {
                let v = if *k == "id" {
                    let n = v.split(',').count();
                    if n > 4 {
                        let first = v.split(',').next().unwrap_or_default();
                        format!("{first},…({n} ids)")
                    } else {
                        v.clone()
                    }
                } else {
                    snippet(v, 160)
                };
                format!("{k}={v}")
            })
            .collect();
        let url = format!("{}{util}", self.inner.base);
        self.redact(&format!(
            "{} {url}?{}",
            if post { "POST" } else { "GET" },
            shown.join("&")
        ))
    }

    /// `params` plus `tool` and `email` (not the key), whether they go by POST, and how the
    /// request is named in errors.
    fn prepare<'a>(
        &self,
        util: &str,
        params: &[(&'a str, String)],
    ) -> (Vec<(&'a str, String)>, bool, String) {
        let c = &self.inner.config;
        let mut all: Vec<(&str, String)> = params.to_vec();
        all.push(("tool", c.tool.clone()));
        if let Some(email) = &c.email {
            all.push(("email", email.clone()));
        }
        let query_len: usize = all.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
        let post = query_len > POST_OVER;
        let request = self.describe(util, &all, post);
        (all, post, request)
    }

    /// How [`Client::call`] names the request for `util` with `params` in its errors.
    pub(crate) fn request_name(&self, util: &str, params: &[(&str, String)]) -> String {
        self.prepare(util, params).2
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let c = &self.inner.config;
        let exp = c
            .base_delay
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let jitter: f64 = rand::rng().random_range(0.5..1.5);
        exp.mul_f64(jitter).min(c.max_delay)
    }

    /// Sends `util` with `params` (plus `tool`, `email`, `api_key`) until `scan` accepts the body;
    /// each HTTP attempt increments `requests`.
    pub(crate) async fn call<T>(
        &self,
        util: &str,
        params: &[(&str, String)],
        requests: &mut u32,
        scan: impl Fn(&str) -> Verdict<T>,
    ) -> Result<T, Error> {
        let c = &self.inner.config;
        let url = self
            .inner
            .base
            .join(util)
            .map_err(|e| Error::Config(format!("URL for {util}: {e}")))?;
        let (mut all, post, request) = self.prepare(util, params);
        if let Some(key) = &c.api_key {
            all.push(("api_key", key.clone()));
        }
        let attempts = c.max_attempts.max(1);
        let mut last = String::new();
        let mut refused = 0u32;
        let mut made = 0u32;
        for attempt in 1..=attempts {
            made = attempt;
            self.inner.limiter.acquire().await;
            *requests += 1;
            tracing::debug!(%request, attempt, "E-utilities request");
            let builder = if post {
                self.inner.http.post(url.clone()).form(&all)
            } else {
                self.inner.http.get(url.clone()).query(&all)
            };
            let mut wait = None;
            match builder.send().await {
                Err(e) => {
                    last = self.transport_reason(&e);
                    if e.is_connect() {
                        refused += 1;
                        // Offline or a wrong URL: do not make the user wait out every attempt.
                        if refused >= MAX_CONNECT_FAILURES {
                            break;
                        }
                    }
                }
                Ok(resp) => {
                    let status = resp.status();
                    if status == StatusCode::TOO_MANY_REQUESTS {
                        let after = resp
                            .headers()
                            .get(RETRY_AFTER)
                            .and_then(|v| v.to_str().ok())
                            .and_then(|v| v.trim().parse::<u64>().ok())
                            .map(Duration::from_secs);
                        last = format!(
                            "HTTP 429 Too Many Requests (Retry-After: {})",
                            after.map_or_else(|| "none".into(), |d| format!("{}s", d.as_secs()))
                        );
                        if let Some(d) = after {
                            let d = d.min(c.max_delay);
                            self.inner.limiter.pause_until(Instant::now() + d);
                            wait = Some(d);
                        }
                    } else if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT {
                        last = format!("HTTP {status}");
                    } else if !status.is_success() {
                        let body = resp.text().await.unwrap_or_default();
                        return Err(Error::Http {
                            request,
                            status: status.as_u16(),
                            body: self.redact(&snippet(&body, 300)),
                        });
                    } else {
                        match resp.text().await {
                            Err(e) => {
                                last = format!(
                                    "body cut off or unreadable: {}",
                                    self.transport_reason(&e)
                                );
                            }
                            Ok(body) => match scan(&body) {
                                Verdict::Ok(t) => return Ok(t),
                                Verdict::Retry(reason) => last = self.redact(&reason),
                                Verdict::Expired(message) => {
                                    return Err(Error::HistoryExpired {
                                        request,
                                        message: self.redact(&message),
                                    });
                                }
                            },
                        }
                    }
                }
            }
            tracing::warn!(%request, attempt, reason = %last, "E-utilities request failed");
            if attempt < attempts {
                tokio::time::sleep(wait.unwrap_or_else(|| self.backoff(attempt))).await;
            }
        }
        Err(Error::GaveUp {
            request,
            attempts: made,
            reason: last,
        })
    }

    /// A transport error as text: kind and cause chain, never the URL.
    fn transport_reason(&self, e: &reqwest::Error) -> String {
        let kind = if e.is_timeout() {
            "timed out"
        } else if e.is_connect() {
            "could not connect"
        } else if e.is_body() || e.is_decode() {
            "response body failed"
        } else {
            "request failed"
        };
        let mut chain = Vec::new();
        let mut src = std::error::Error::source(e);
        while let Some(s) = src {
            chain.push(s.to_string());
            src = s.source();
        }
        chain.dedup();
        let text = if chain.is_empty() {
            kind.to_string()
        } else {
            format!("{kind}: {}", chain.join(": "))
        };
        self.redact(&text)
    }
}
