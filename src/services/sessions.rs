//! Admin sessions kept in the database: opened at login, checked on every admin request
//! (idle and absolute expiry), ended by logout, by a password change, by the user removal,
//! or from the sessions page.

use crate::db::Conn;
use chrono::{Duration, NaiveDateTime};

use crate::db::ids::{SessionId, UserId};
use crate::db::sessions::{self, AdminSession, NewSession};
use crate::db::users::{self, User};
use crate::error::AppError;
use crate::services::auth;
use crate::services::comments::ClientInfo;
use crate::services::privacy::truncate_ip;

/// A session lasts at most this long, however active.
pub const ABSOLUTE_HOURS: i64 = 7 * 24;
/// `last_seen_at` is rewritten at most this often.
const TOUCH_SECONDS: i64 = 60;
const USER_AGENT_MAX: usize = 200;

/// Opens a session for `user`; returns the token for the cookie (only its hash is stored).
pub fn open(
    conn: &mut Conn,
    user: &User,
    client: &ClientInfo,
    now: NaiveDateTime,
) -> Result<String, AppError> {
    let token = auth::random_token(32);
    let network = client.ip.as_deref().and_then(truncate_ip);
    let agent: Option<String> =
        client.user_agent.as_deref().map(|ua| ua.chars().take(USER_AGENT_MAX).collect());
    sessions::insert(
        conn,
        &NewSession {
            token_hash: &auth::token_hash(&token),
            user_id: user.id,
            session_version: user.session_version,
            csrf_token: &auth::random_token(32),
            created_at: now,
            last_seen_at: now,
            ip_network: network.as_deref(),
            user_agent: agent.as_deref(),
        },
    )?;
    Ok(token)
}

#[derive(Debug)]
pub enum Resumed {
    Active {
        session: AdminSession,
        user: Box<User>,
        touch: bool,
    },
    /// Idle or too old: the row should go.
    Expired(SessionId),
    Missing,
}

/// The session a cookie's token stands for, if it is still alive.
pub fn resume(
    conn: &mut Conn,
    token: &str,
    idle_minutes: u32,
    now: NaiveDateTime,
) -> Result<Resumed, AppError> {
    let Some(session) = sessions::find_by_token_hash(conn, &auth::token_hash(token))? else {
        return Ok(Resumed::Missing);
    };
    let idle = now - session.last_seen_at > Duration::minutes(i64::from(idle_minutes));
    let too_old = now - session.created_at > Duration::hours(ABSOLUTE_HOURS);
    if idle || too_old {
        return Ok(Resumed::Expired(session.id));
    }
    let user = users::find(conn, session.user_id)?.filter(|u| u.session_version == session.session_version);
    let Some(user) = user else {
        return Ok(Resumed::Expired(session.id));
    };
    let touch = now - session.last_seen_at >= Duration::seconds(TOUCH_SECONDS);
    Ok(Resumed::Active { session, user: Box::new(user), touch })
}

/// Logout: the session the token stands for ends.
pub fn close(conn: &mut Conn, token: &str) -> Result<(), AppError> {
    if let Some(session) = sessions::find_by_token_hash(conn, &auth::token_hash(token))? {
        sessions::delete(conn, session.id)?;
    }
    Ok(())
}

/// Ends one of the user's own sessions; false when it was not theirs (or already gone).
pub fn end_own(conn: &mut Conn, user: UserId, id: SessionId) -> Result<bool, AppError> {
    Ok(sessions::delete_for_user(conn, user, id)? > 0)
}

/// Ends every session of the user but the current one; returns how many ended.
pub fn end_others(conn: &mut Conn, user: UserId, current: SessionId) -> Result<usize, AppError> {
    Ok(sessions::delete_all_for_user(conn, user, Some(current))?)
}

/// Hourly: rows of sessions that can no longer be resumed.
pub fn purge_expired(conn: &mut Conn, idle_minutes: u32, now: NaiveDateTime) -> Result<usize, AppError> {
    Ok(sessions::delete_expired(
        conn,
        now - Duration::minutes(i64::from(idle_minutes)),
        now - Duration::hours(ABSOLUTE_HOURS),
    )?)
}
