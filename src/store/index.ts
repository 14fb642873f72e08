import type { Store } from "../core/ports.ts";
import type { Database } from "./database.ts";
import * as dialogs from "./queries/dialogs.ts";
import * as memberships from "./queries/memberships.ts";
import * as people from "./queries/people.ts";
import * as updates from "./queries/processed-updates.ts";

/**
 * Binds the queries to one database handle. Inside `transaction`, a new store is bound to
 * the transaction, so code running in the callback cannot reach the outer handle by mistake.
 */
export function createStore(db: Database): Store {
  return {
    transaction: (fn) => db.transaction((tx) => fn(createStore(tx))),
    findPersonByIdentity: (channel, externalId) => people.findPersonByIdentity(db, { channel, externalId }),
    createPersonWithIdentity: (input) => people.createPersonWithIdentity(db, input),
    touchIdentity: (channel, externalId, address) => people.touchIdentity(db, { channel, externalId, address }),
    setPersonLocale: (personId, locale) => people.setPersonLocale(db, { personId, locale }),
    listIdentities: (personId) => people.listIdentities(db, { personId }),
    listMembershipsOfPerson: (personId, day) => memberships.listMembershipsOfPerson(db, { personId, day }),
    listSupervisionOfPerson: (personId) => memberships.listSupervisionOfPerson(db, { personId }),
    getDialog: (personId, now) => dialogs.getDialog(db, { personId, now }),
    setDialog: (personId, state, now) => dialogs.setDialog(db, { personId, state, now }),
    clearDialog: (personId) => dialogs.clearDialog(db, { personId }),
    markUpdateProcessed: (channel, updateId, at) => updates.markUpdateProcessed(db, { channel, updateId, at }),
    pruneProcessedUpdates: (before) => updates.pruneProcessedUpdates(db, { before }),
    deleteExpiredDialogs: (now) => dialogs.deleteExpiredDialogs(db, { now }),
  };
}
