//! Delivery: deciding which channel gets which brief ([`planner`], [`digest`]), and sending
//! it exactly once within Discord's rate limits ([`pacer`], [`worker`]). Discord-agnostic:
//! the adapter implements [`worker::Outbox`].
//!
//! Flow: briefs loaded → [`planner::plan_new`] (and, on a timer, [`digest::plan_digests`])
//! write pending rows to the ledger in the store → [`DeliveryHandle::wake`] → the
//! [`Worker`] sends them through the [`Pacer`] and the outbox and marks them sent.

pub mod clock;
pub mod digest;
pub mod nonce;
pub mod pacer;
pub mod planner;
pub mod worker;

pub use crate::store::{DeliveryKind, PendingDelivery};
pub use clock::{Clock, ManualClock, SystemClock};
pub use digest::{due_digests, plan_digests, DueDigest, PartLimits, PlannedDigest};
pub use nonce::delivery_nonce;
pub use pacer::{Pacer, Permit, CHANNEL_BURST, CHANNEL_WINDOW, DEFAULT_MAX_PER_SECOND};
pub use planner::{plan_new, start_up, StartUp};
pub use worker::{DeliveryHandle, Outbox, SendOutcome, Worker, WorkerConfig, SEND_TIMEOUT};
