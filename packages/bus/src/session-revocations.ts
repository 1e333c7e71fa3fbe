import type { NatsConnection } from '@nats-io/transport-node';
import type { StreamNames } from './stream-names';

/**
 * Announcements that a user's sessions were cut short (signed out everywhere, disabled, role or password
 * changed): each server replica keeps its users' token standing in memory and forgets a user's when it
 * hears of the change. Plain NATS, no stream: a lost announcement costs time, not correctness, because a
 * replica reads every remembered standing again within a second anyway (the server's swept rows).
 */
export interface SessionRevocations {
  /** Tells every replica (this one included) that the user's standing changed; never throws. */
  announce(userId: string): void;
  /** Calls `onRevoked` with each user announced from now on, until the returned function is called. */
  follow(onRevoked: (userId: string) => void): () => void;
}

/** A user id as the database keys users: nothing else is passed on from the wire. */
const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function createNatsSessionRevocations(nc: NatsConnection, names: StreamNames): SessionRevocations {
  return {
    announce(userId) {
      try {
        nc.publish(names.sessionsRevokedSubject, encoder.encode(userId));
      } catch {
        // A closed connection: the replicas' sweep carries the change instead.
      }
    },
    follow(onRevoked) {
      const subscription = nc.subscribe(names.sessionsRevokedSubject, {
        callback: (err, msg) => {
          if (err) return;
          const userId = decoder.decode(msg.data);
          if (USER_ID.test(userId)) onRevoked(userId);
        },
      });
      return () => subscription.unsubscribe();
    },
  };
}

/** One process: the announcement goes straight to its followers. */
export function createInProcessSessionRevocations(): SessionRevocations {
  const followers = new Set<(userId: string) => void>();
  return {
    announce(userId) {
      for (const follower of followers) follower(userId);
    },
    follow(onRevoked) {
      followers.add(onRevoked);
      return () => followers.delete(onRevoked);
    },
  };
}
