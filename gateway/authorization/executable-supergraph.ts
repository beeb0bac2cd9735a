import { parse, print, valueFromASTUntyped, visit } from 'graphql';
import { ENFORCED_SECURITY_FEATURES } from './security-directives.ts';

/**
 * The supergraph handed to @apollo/gateway's executor. The gateway refuses a supergraph whose
 * `@link(..., for: SECURITY)` features it does not implement; this gateway enforces
 * authenticated, requiresScopes and policy itself (see authorize-operation.ts), so their links
 * lose `for: SECURITY` and stay plain links, which the gateway reads as metadata and leaves out of
 * its API schema. Any other security feature is left as it is, and the gateway still refuses it.
 */
export function executableSupergraph(supergraphSdl: string): string {
  const handled = visit(parse(supergraphSdl), {
    Directive(directive) {
      const url = directive.arguments?.find((arg) => arg.name.value === 'url')?.value;
      const enforced = url !== undefined && ENFORCED_SECURITY_FEATURES.has(String(valueFromASTUntyped(url)));
      if (directive.name.value !== 'link' || !enforced) return undefined;
      return { ...directive, arguments: directive.arguments?.filter((arg) => arg.name.value !== 'for') };
    },
  });
  return print(handled);
}
