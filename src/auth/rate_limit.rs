//! Login attempt limits per client address and per account (governor, in memory).

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

/// Attempts per minute for one account, whatever the address.
const PER_ACCOUNT_PER_MINUTE: u32 = 5;
/// Attempts per minute from one address, whatever the account.
const PER_IP_PER_MINUTE: u32 = 20;

pub struct LoginLimiter {
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    per_account: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN));
        Self {
            per_ip: DefaultKeyedRateLimiter::keyed(quota(PER_IP_PER_MINUTE)),
            per_account: DefaultKeyedRateLimiter::keyed(quota(PER_ACCOUNT_PER_MINUTE)),
            clock: DefaultClock::default(),
        }
    }
}

impl LoginLimiter {
    /// Counts one attempt; `Err(seconds)` says how long to wait when over the limit.
    pub fn check(&self, ip: Option<IpAddr>, account: &str) -> Result<(), u64> {
        let wait = |not_until: governor::NotUntil<_>| {
            not_until.wait_time_from(self.clock.now()).as_secs().max(1)
        };
        if let Some(ip) = ip {
            self.per_ip.check_key(&ip).map_err(wait)?;
        }
        self.per_account
            .check_key(&account.to_lowercase())
            .map_err(wait)?;
        Ok(())
    }

    /// Forgets keys whose budget is full again (run periodically to bound memory).
    pub fn prune(&self) {
        self.per_ip.retain_recent();
        self.per_account.retain_recent();
    }
}
