/**
 * The nested query of the public federation gateway benchmark, in its shape: the signed-in user's
 * reviews with each product's price, stock, shipping estimate (@requires) and other reviews, and
 * the top products with their reviews' authors (@provides) and those authors' other reviews.
 */
export const federationBenchmarkQuery = /* GraphQL */ `
  query FederationBenchmark {
    me {
      id
      username
      reviews {
        body
        product {
          upc
          name
          price
          weight
          reviews { body author { id username } }
          inStock
          shippingEstimate
        }
      }
    }
    topProducts {
      upc
      name
      price
      weight
      inStock
      shippingEstimate
      reviews {
        body
        author {
          id
          username
          reviews { body product { upc name inStock } }
        }
      }
    }
  }
`;
