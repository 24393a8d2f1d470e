//! Stopping a long job.

use crate::contract::commands;
use crate::state::State;

commands! {
    /// Stops the job whose progress goes over the channel `job` (an import, an export), where
    /// it can stop; a backup or a restore runs to its end.
    fn cancel_job(state: State<'_>; job: u32) -> () {
        state.jobs.cancel(job);
        Ok(())
    }
}
