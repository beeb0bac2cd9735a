import { Env, type OdooMajor } from './env.ts';
import { accountMove, accountMoveLine } from './models/account-move.ts';
import { accountPayment, accountPaymentRegister } from './models/account-payment.ts';
import { accountJournal, productProduct, resCurrency, resPartner, seedCatalog } from './models/catalog.ts';

/** A new in-memory database with the models of `version` and the seeded catalog. */
export function createDatabase(version: OdooMajor): Env {
  const models = [resPartner, resCurrency, accountJournal, productProduct, accountMove, accountMoveLine, accountPaymentRegister, accountPayment(version)];
  const env = new Env(version, new Map(models.map((model) => [model.name, model])));
  seedCatalog(env);
  return env;
}
