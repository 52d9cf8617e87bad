//! Login throttling: failed logins count against the account and against
//! the address they came from. Past a few failures the next attempt must
//! wait, and each further failure doubles the wait, so guessing passwords
//! gets slow while a person who mistyped twice notices nothing.
//!
//! Held in memory: one server process answers every login, and a restart
//! forgetting the counts only restarts the delays.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Failures an account may have before attempts must wait.
const ACCOUNT_FREE_FAILURES: u32 = 5;
/// Failures one address may have, over all accounts, before it must wait.
const ADDRESS_FREE_FAILURES: u32 = 20;
/// The first wait; each further failure doubles it.
const FIRST_WAIT: Duration = Duration::from_secs(1);
const LONGEST_WAIT: Duration = Duration::from_secs(15 * 60);
/// Counts older than this are forgotten.
const MEMORY: Duration = Duration::from_secs(60 * 60);
/// Keys kept before old ones are swept out.
const SWEEP_AT: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Account(String),
    Address(IpAddr),
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
    wait_until: Instant,
}

/// Shared by all requests; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct LoginThrottle {
    failures: Arc<Mutex<HashMap<Key, Failures>>>,
    /// Reverse proxies whose `X-Forwarded-For` names the client
    /// (`--trusted-proxy`); behind one, every login would otherwise come
    /// from the proxy's address and share one count.
    trusted_proxies: Arc<[IpAddr]>,
}

fn account(username: &str) -> Key {
    // Usernames are compared case-insensitively, so are their counts.
    Key::Account(username.trim().to_lowercase())
}

impl LoginThrottle {
    /// A throttle that takes the client's address from `X-Forwarded-For`
    /// when the connection comes from one of `trusted_proxies`.
    pub fn behind(trusted_proxies: &[IpAddr]) -> Self {
        Self { trusted_proxies: trusted_proxies.into(), ..Self::default() }
    }

    /// The address a login is counted against: the peer, or, when the peer
    /// is a trusted proxy, the last address it put in `X-Forwarded-For`
    /// (the one it saw; earlier entries are the client's to make up).
    pub fn client_address(&self, peer: IpAddr, forwarded_for: Option<&str>) -> IpAddr {
        if !self.trusted_proxies.contains(&peer) {
            return peer;
        }
        forwarded_for.and_then(|list| list.rsplit(',').next()).and_then(|last| last.trim().parse().ok()).unwrap_or(peer)
    }

    /// How long an attempt for `username` from `address` must still wait;
    /// `None` if it may go ahead.
    pub fn wait(&self, username: &str, address: IpAddr) -> Option<Duration> {
        let now = Instant::now();
        let failures = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        [account(username), Key::Address(address)]
            .iter()
            .filter_map(|key| failures.get(key))
            .filter_map(|f| f.wait_until.checked_duration_since(now))
            .filter(|wait| !wait.is_zero())
            .max()
    }

    /// Counts a failed attempt.
    pub fn failed(&self, username: &str, address: IpAddr) {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if failures.len() >= SWEEP_AT {
            failures.retain(|_, f| now.duration_since(f.last) < MEMORY);
        }
        for (key, free) in [(account(username), ACCOUNT_FREE_FAILURES), (Key::Address(address), ADDRESS_FREE_FAILURES)]
        {
            let entry = failures.entry(key).or_insert(Failures { count: 0, last: now, wait_until: now });
            if now.duration_since(entry.last) >= MEMORY {
                entry.count = 0;
            }
            entry.count += 1;
            entry.last = now;
            if entry.count >= free {
                let doublings = (entry.count - free).min(20);
                let wait = FIRST_WAIT.saturating_mul(1 << doublings).min(LONGEST_WAIT);
                entry.wait_until = now + wait;
            }
        }
    }

    /// A successful login clears the account's count (not the address's:
    /// one right password must not reset guessing at other accounts).
    pub fn succeeded(&self, username: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        failures.remove(&account(username));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy_and_only_its_last_entry() {
        let proxy: IpAddr = IpAddr::from([127, 0, 0, 1]);
        let phone: IpAddr = IpAddr::from([10, 1, 2, 3]);
        let header = Some("6.6.6.6, 10.1.2.3");
        assert_eq!(LoginThrottle::default().client_address(proxy, header), proxy);
        let behind = LoginThrottle::behind(&[proxy]);
        assert_eq!(behind.client_address(proxy, header), phone);
        assert_eq!(behind.client_address(phone, Some("1.1.1.1")), phone, "only the proxy is believed");
        assert_eq!(behind.client_address(proxy, Some("nonsense")), proxy);
    }

    const HOME: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1));
    const ELSEWHERE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2));

    #[test]
    fn a_few_mistakes_cost_nothing_then_the_wait_doubles() {
        let throttle = LoginThrottle::default();
        for _ in 0..ACCOUNT_FREE_FAILURES - 1 {
            throttle.failed("Kari", HOME);
            assert_eq!(throttle.wait("kari", HOME), None);
        }
        throttle.failed("kari", HOME);
        let first = throttle.wait("KARI", ELSEWHERE).expect("the account must wait, from anywhere");
        throttle.failed("kari", HOME);
        let second = throttle.wait("kari", HOME).expect("still waiting");
        assert!(first <= FIRST_WAIT && second > FIRST_WAIT && second <= FIRST_WAIT * 2, "{first:?} {second:?}");
        assert_eq!(throttle.wait("ola", ELSEWHERE), None, "other accounts are not held up");
    }

    #[test]
    fn an_address_guessing_at_many_accounts_must_wait() {
        let throttle = LoginThrottle::default();
        for n in 0..ADDRESS_FREE_FAILURES {
            throttle.failed(&format!("user{n}"), HOME);
        }
        assert!(throttle.wait("someone-new", HOME).is_some());
        assert_eq!(throttle.wait("someone-new", ELSEWHERE), None);
    }

    #[test]
    fn success_clears_the_account() {
        let throttle = LoginThrottle::default();
        for _ in 0..ACCOUNT_FREE_FAILURES - 1 {
            throttle.failed("kari", HOME);
        }
        throttle.succeeded("kari");
        throttle.failed("kari", HOME);
        assert_eq!(throttle.wait("kari", HOME), None);
    }
}
