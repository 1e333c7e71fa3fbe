import type { NatsConnection } from '@nats-io/transport-node';
import type { StreamNames } from './stream-names';

/**
 * Announcements that a principal's sessions were cut short (a user signed out everywhere, disabled, role
 * or password changed; an API client disabled): each server replica keeps the standing of the users and
 * clients calling it in memory and forgets one's when it hears of the change. Plain NATS, no stream: a lost announcement costs time, not correctness, because a
 * replica reads every remembered standing again within a second anyway (the server's swept rows).
 */
export interface SessionRevocations {
  /**
   * Tells every replica (this one included) that the standing of a user (by user id) or an API client
   * (by client id) changed; never throws.
   */
  announce(principalId: string): void;
  /** Calls `onRevoked` with each principal announced from now on, until the returned function is called. */
  follow(onRevoked: (principalId: string) => void): () => void;
}

/**
 * A user id as the database keys users, or an API client's id as issued (`tfc_` and 16 base64url
 * characters): nothing else is passed on from the wire.
 */
const PRINCIPAL_ID =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|tfc_[A-Za-z0-9_-]{16})$/i;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function createNatsSessionRevocations(nc: NatsConnection, names: StreamNames): SessionRevocations {
  return {
    announce(principalId) {
      try {
        nc.publish(names.sessionsRevokedSubject, encoder.encode(principalId));
      } catch {
        // A closed connection: the replicas' sweep carries the change instead.
      }
    },
    follow(onRevoked) {
      const subscription = nc.subscribe(names.sessionsRevokedSubject, {
        callback: (err, msg) => {
          if (err) return;
          const principalId = decoder.decode(msg.data);
          if (PRINCIPAL_ID.test(principalId)) onRevoked(principalId);
        },
      });
      return () => subscription.unsubscribe();
    },
  };
}

/** One process: the announcement goes straight to its followers. */
export function createInProcessSessionRevocations(): SessionRevocations {
  const followers = new Set<(principalId: string) => void>();
  return {
    announce(principalId) {
      for (const follower of followers) follower(principalId);
    },
    follow(onRevoked) {
      followers.add(onRevoked);
      return () => followers.delete(onRevoked);
    },
  };
}
