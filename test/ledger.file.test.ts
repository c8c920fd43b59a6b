// The ledger's behaviour suite on an embedded libSQL file, one per test.
import { ledgerBehaviour } from "./ledger-behaviour";

ledgerBehaviour(() => undefined);
