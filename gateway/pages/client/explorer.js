// GraphiQL, served by the gateway with every asset (React 18 and GraphiQL's own bundle) from it,
// opened with the README's operations as tabs, calling /graphql with the token of the bar.
import { exampleOperations } from './explorer-examples.js';
import { postGraphQL } from './graph.js';
import { tokenBar } from './sign-in.js';

const { React, ReactDOM, GraphiQL } = window;
const defaultTabs = exampleOperations(new Date()).map(({ query, variables }) => ({ query, variables: JSON.stringify(variables, null, 2) }));
const root = ReactDOM.createRoot(document.getElementById('page'));

// A new fetcher for a new token: GraphiQL then reads the schema again, as the new caller.
tokenBar((token) =>
  root.render(
    React.createElement(GraphiQL, {
      fetcher: (params, options) => postGraphQL(token, params, options?.headers),
      defaultTabs,
      // GraphiQL 3 takes the first tab's query from defaultTabs but not its variables: both given, it opens on it.
      query: defaultTabs[0].query,
      variables: defaultTabs[0].variables,
      defaultEditorToolsVisibility: 'variables',
    }),
  ),
);
