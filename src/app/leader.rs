//! Who delivers: one delivery leader among the processes that share a store.
//!
//! Discord's 50 requests/s limit is per bot, so exactly one process — the leader — plans
//! briefs, polls the `[[sources]]`, plans digests, prunes the ledger and sends deliveries,
//! through one paced sender; every process answers commands. On SQLite only one process can
//! open the file ([`Store::open_at`](crate::store::Store::open_at) holds it), so that process
//! is always the leader ([`always`]). On PostgreSQL the leader is the holder of a session
//! advisory lock ([`Lease`]), taken on a connection of its own:
//!
//! - a follower tries the lock every [`TRY_EVERY`]; when the leader's process dies its session
//!   ends, PostgreSQL releases the lock, and a follower holds it within about a second;
//! - the leader checks its connection every [`TRY_EVERY`] (a query with a timeout) and, when
//!   the check fails, steps down at once (its deliveries halt; pending rows stay pending and
//!   the next leader resends them with the same nonces, which Discord deduplicates);
//! - on shutdown the leader first stops its deliveries, then unlocks ([`Lease::release`]);
//! - a new leader waits [`TAKEOVER_PAUSE`] (Discord's global rate window) before its first
//!   send, so that its sends and the previous leader's last ones never share a window: each
//!   process paces itself, and together they stay under the limit (0 × 429).
//!
//! The lock is scoped to the schema (`hashtext(current_schema())`), so bots — or tests — on
//! different schemas of one database do not contend. Nothing needs to travel from a follower
//! to the leader: a `/subscribe` answered by a follower is a row in the shared store, which
//! the leader reads whenever it plans.
//!
//! If the network between the leader and PostgreSQL breaks without closing the socket, the
//! server keeps the old session (and the lock) until its TCP keep-alive gives up — two hours
//! with Linux's defaults. The lock's session therefore sets its own ([`SESSION_KEEPALIVE`]:
//! probes after 5 s of silence, every 2 s, 3 unanswered, and unacknowledged data for at most
//! 10 s), so the server ends it, and frees the lock, about 11 s after the leader vanished;
//! meanwhile no process leads and deliveries wait (nothing is lost or doubled). The old
//! leader's own check fails within [`CHECK_TIMEOUT`] and it steps down first.

use crate::store::{install_drivers, Location};
use sqlx::{AnyConnection, Connection as _};
use std::time::Duration;
use tokio::sync::watch;

/// How often a follower tries to take the lead, and a leader checks that it still holds it.
pub const TRY_EVERY: Duration = Duration::from_secs(1);

/// How long a new leader on a server waits before its first send.
pub const TAKEOVER_PAUSE: Duration = Duration::from_secs(1);

/// Longest wait for a lock attempt or a check before it counts as failed.
const CHECK_TIMEOUT: Duration = Duration::from_secs(3);

/// Server-side TCP settings of the lock's session (PostgreSQL's `tcp_keepalives_*` and
/// `tcp_user_timeout`, which any user may set for a session): how soon the server notices
/// that a leader's host vanished and releases the lock. Ignored on a Unix socket, where a
/// vanished peer closes the socket.
const SESSION_KEEPALIVE: [(&str, &str); 4] = [
    ("tcp_keepalives_idle", "5"),
    ("tcp_keepalives_interval", "2"),
    ("tcp_keepalives_count", "3"),
    ("tcp_user_timeout", "10000"),
];

/// First half of the advisory lock key: "brbf", the bot's own class of locks.
const LOCK_CLASS: i32 = 0x6272_6266;

pub use crate::ops::Role;

/// A role that never changes: leader (one process on an SQLite file, and tests).
pub fn always() -> watch::Receiver<Role> {
    // A receiver outlives its sender: `borrow` keeps the value, `changed` reports an error,
    // which the users of a role take as "never changes".
    watch::channel(Role::Leader).1
}

/// Waits until `role` changes, then returns the new role; never returns when it cannot change.
pub async fn changed(role: &mut watch::Receiver<Role>) -> Role {
    match role.changed().await {
        Ok(()) => *role.borrow_and_update(),
        Err(_) => std::future::pending().await,
    }
}

/// Resolves once `role` is `want`; never when it cannot become `want`.
pub async fn until(role: &mut watch::Receiver<Role>, want: Role) {
    if role.wait_for(|r| *r == want).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// The campaign for the lead, running until [`Lease::release`].
pub struct Lease {
    role: watch::Receiver<Role>,
    release: Option<watch::Sender<bool>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Lease {
    /// Starts campaigning for the lead of `location`: a file is led by its one process at
    /// once; a server is led by whoever holds the lock.
    pub fn start(location: &Location) -> Lease {
        match location {
            Location::File(_) => Lease {
                role: always(),
                release: None,
                task: None,
            },
            Location::Server(url) => {
                install_drivers();
                let (role_tx, role) = watch::channel(Role::Follower);
                let (release, released) = watch::channel(false);
                let task = tokio::spawn(campaign(url.clone(), role_tx, released));
                Lease {
                    role,
                    release: Some(release),
                    task: Some(task),
                }
            }
        }
    }

    /// The role, as it changes.
    pub fn role(&self) -> watch::Receiver<Role> {
        self.role.clone()
    }

    /// Gives up the lead (or the campaign) and waits until the lock is released. Call it
    /// after this process's deliveries have stopped.
    pub async fn release(mut self) {
        if let Some(r) = self.release.take() {
            let _ = r.send(true);
        }
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(r) = self.release.take() {
            let _ = r.send(true);
        }
    }
}

/// Tries for the lock until it holds it, holds it while its connection answers, and starts
/// over when the connection fails; until `released`.
async fn campaign(url: String, role: watch::Sender<Role>, mut released: watch::Receiver<bool>) {
    let mut complained = false;
    loop {
        let attempt = tokio::select! {
            _ = released.wait_for(|r| *r) => return,
            a = tokio::time::timeout(CHECK_TIMEOUT, try_lead(&url)) => a,
        };
        match attempt {
            Ok(Ok(Some(conn))) => {
                complained = false;
                tracing::info!("this process leads deliveries");
                role.send_replace(Role::Leader);
                let conn = hold(conn, &mut released).await;
                if let Some(conn) = conn {
                    // Released while leading: unlock by closing the session.
                    let _ = conn.close().await;
                    return;
                }
                tracing::error!("lost the connection that holds the delivery lead; stepping down");
                role.send_replace(Role::Follower);
                continue;
            }
            Ok(Ok(None)) => {
                if !complained {
                    tracing::info!("another process leads deliveries; this one answers commands");
                    // Said once: the role was Follower already, but now it is known.
                    role.send_replace(Role::Follower);
                    complained = true;
                }
            }
            Ok(Err(e)) => tracing::warn!("cannot try for the delivery lead: {e}"),
            Err(_) => tracing::warn!("trying for the delivery lead timed out"),
        }
        tokio::select! {
            _ = released.wait_for(|r| *r) => return,
            _ = tokio::time::sleep(TRY_EVERY) => {}
        }
    }
}

/// One attempt: a connection of its own, and the lock if free.
async fn try_lead(url: &str) -> Result<Option<AnyConnection>, sqlx::Error> {
    let mut conn = AnyConnection::connect(url).await?;
    for (name, value) in SESSION_KEEPALIVE {
        sqlx::query("SELECT set_config($1, $2, false)")
            .bind(name)
            .bind(value)
            .execute(&mut conn)
            .await?;
    }
    let held: bool =
        sqlx::query_scalar("SELECT pg_try_advisory_lock($1, hashtext(current_schema()))")
            .bind(LOCK_CLASS)
            .fetch_one(&mut conn)
            .await?;
    if held {
        Ok(Some(conn))
    } else {
        let _ = conn.close().await;
        Ok(None)
    }
}

/// Checks the lock's connection every [`TRY_EVERY`] until `released` (returns the connection)
/// or a check fails (returns `None`).
async fn hold(
    mut conn: AnyConnection,
    released: &mut watch::Receiver<bool>,
) -> Option<AnyConnection> {
    loop {
        tokio::select! {
            _ = released.wait_for(|r| *r) => return Some(conn),
            _ = tokio::time::sleep(TRY_EVERY) => {}
        }
        let check = tokio::time::timeout(CHECK_TIMEOUT, conn.ping()).await;
        if !matches!(check, Ok(Ok(()))) {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::scratch::Scratch;

    async fn wait_role(role: &mut watch::Receiver<Role>, want: Role) {
        tokio::time::timeout(Duration::from_secs(30), until(role, want))
            .await
            .unwrap_or_else(|_| panic!("never became {want:?}"));
    }

    /// One lease leads; a second on the same schema follows until the first is released;
    /// a lease on another schema leads on its own.
    #[tokio::test]
    async fn one_leader_per_schema_and_the_lead_passes_on_release() {
        let (a_schema, b_schema) = (Scratch::new().await, Scratch::new().await);
        let first = Lease::start(&Location::Server(a_schema.url.clone()));
        let mut first_role = first.role();
        wait_role(&mut first_role, Role::Leader).await;
        let second = Lease::start(&Location::Server(a_schema.url.clone()));
        let mut second_role = second.role();
        let other = Lease::start(&Location::Server(b_schema.url.clone()));
        wait_role(&mut other.role(), Role::Leader).await;
        // While the first holds the lock, nobody else gets it.
        let attempt = try_lead(&a_schema.url).await.expect("an attempt");
        assert!(attempt.is_none(), "the lock is taken");
        assert_eq!(*second_role.borrow(), Role::Follower);
        first.release().await;
        wait_role(&mut second_role, Role::Leader).await;
        second.release().await;
        other.release().await;
        a_schema.remove().await;
        b_schema.remove().await;
    }

    /// The lock's session asks the server to notice a vanished leader within seconds, not
    /// the system's two hours.
    #[tokio::test]
    async fn the_lock_session_sets_short_server_side_keepalives() {
        install_drivers();
        let schema = Scratch::new().await;
        let mut conn = try_lead(&schema.url)
            .await
            .expect("an attempt")
            .expect("a free lock");
        let mut shown = Vec::new();
        for name in [
            "tcp_keepalives_idle",
            "tcp_keepalives_count",
            "tcp_user_timeout",
        ] {
            let value: String = sqlx::query_scalar(&format!("SELECT current_setting('{name}')"))
                .fetch_one(&mut conn)
                .await
                .expect("a setting");
            shown.push(value);
        }
        // The test server is reached over TCP (127.0.0.1), where the settings apply.
        assert_eq!(shown, ["5", "3", "10000"]);
        let _ = conn.close().await;
        schema.remove().await;
    }

    #[test]
    fn a_file_is_always_led_by_its_process() {
        let lease = Lease::start(&Location::File("x.db".into()));
        assert_eq!(*lease.role().borrow(), Role::Leader);
    }
}
