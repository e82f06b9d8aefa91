import { ConnectionStates, type Connection } from 'mongoose';
import type { HealthCheck } from './health.registry';

/** A readiness check for a mongoose connection: connected and answering `ping`. */
export function mongoReadinessCheck(connection: Connection): HealthCheck {
  return async () => {
    if (connection.readyState !== ConnectionStates.connected || !connection.db) throw new Error('mongo not connected');
    await connection.db.admin().ping();
  };
}
