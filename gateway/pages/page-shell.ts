import { ASSETS_PATH } from './assets.ts';
import { signInRoles } from './sign-in.ts';

export interface PageDefinition {
  title: string;
  /** Asset names, in order: style sheets, then scripts loaded before the page's module. */
  styles: readonly string[];
  scripts: readonly string[];
  /** The page's own ES module, which draws into `<main id="page">`. */
  module: string;
  /** The role the embedded sign-in offers first. */
  role: string;
}

export interface ShellSettings {
  /** Links to the other pages the gateway serves. */
  links: ReadonlyArray<{ path: string; label: string }>;
  /** Embedded mode: the roles a person may sign in as; elsewhere a pasted token only. */
  embeddedSignIn: boolean;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/**
 * The HTML every page shares: its assets from the gateway only, the token bar, and its settings as
 * JSON data (read by the page's script; CSP allows no inline script).
 */
export function pageHtml(page: PageDefinition, shell: ShellSettings): string {
  const settings = { signIn: shell.embeddedSignIn ? { roles: signInRoles(), role: page.role } : null };
  const asset = (name: string) => `${ASSETS_PATH}${name}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
${[...page.styles, 'pages.css'].map((name) => `<link rel="stylesheet" href="${asset(name)}">`).join('\n')}
<script type="application/json" id="page-settings">${JSON.stringify(settings).replace(/</g, '\\u003c')}</script>
</head>
<body>
<header class="page-bar">
<strong>${escapeHtml(page.title)}</strong>
<nav>${shell.links.map(({ path, label }) => `<a href="${path}">${escapeHtml(label)}</a>`).join(' ')}</nav>
<form id="sign-in" class="sign-in"></form>
</header>
<main id="page"></main>
${page.scripts.map((name) => `<script src="${asset(name)}"></script>`).join('\n')}
<script type="module" src="${asset(page.module)}"></script>
</body>
</html>
`;
}
