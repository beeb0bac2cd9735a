// `npm run odoo:bundled`: the bundled Odoo stand-in alone, for an Odoo developer or a standalone
// odoo-finance service on a development machine. PORT (8069, Odoo's own), ODOO_BUNDLED_VERSION,
// ODOO_API_KEY (a random key when unset). It keeps everything in memory: a restart starts afresh.
import { checkSettings, setting } from '../../platform/config.ts';
import { runUntilSignalled } from '../../platform/process.ts';
import { bundledOdooSettingsFromEnv, startBundledOdoo } from './server.ts';

runUntilSignalled(async () => {
  checkSettings('odoo:bundled');
  const odoo = await startBundledOdoo({ ...bundledOdooSettingsFromEnv(), port: setting('PORT') ?? 8069, apiKey: setting('ODOO_API_KEY') });
  console.log(
    [
      `Bundled Odoo ${odoo.version} stand-in ready (in memory; never for production). Connect with:`,
      `ODOO_URL=${odoo.url} ODOO_DB=${odoo.db} ODOO_USER=${odoo.login} ODOO_API_KEY=${odoo.apiKey}`,
    ].join('\n'),
  );
  return odoo;
});
