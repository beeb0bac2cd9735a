export interface ExampleOperation {
  /** The role to sign in as to run it. */
  role: string;
  query: string;
  variables: Record<string, unknown>;
}

export function exampleOperations(now: Date): ExampleOperation[];
