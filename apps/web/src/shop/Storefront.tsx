import { useState } from 'preact/hooks';
import type { OrderBody } from '../api/types.ts';
import { CATALOGUE, type Product } from '../catalogue.ts';
import { formatPrice } from '../ui/format.ts';
import { MyOrders } from './MyOrders.tsx';
import { OrderForm } from './OrderForm.tsx';

/** The customer's page: the catalogue, the order form, and their orders moving through the saga. */
export function Storefront() {
  const [product, setProduct] = useState<Product>(CATALOGUE[0] as Product);
  const [placed, setPlaced] = useState<OrderBody[]>([]);
  const choose = (chosen: Product) => {
    setProduct(chosen);
    document.getElementById('qty')?.focus();
  };
  return (
    <>
      <h1 tabIndex={-1}>Shop</h1>
      <div class="shop">
        <section class="catalogue" aria-labelledby="catalogue-title">
          <h2 id="catalogue-title">Catalogue</h2>
          <ul class="products">
            {CATALOGUE.map((p) => (
              <li key={p.id} class={p.id === product.id ? 'product product-chosen' : 'product'}>
                <span class="product-name">{p.name}</span>
                <span class="product-description">{p.description}</span>
                <span class="product-price">{formatPrice(p.price)}</span>
                <button
                  type="button"
                  class="button"
                  aria-pressed={p.id === product.id}
                  aria-label={`Choose ${p.name}`}
                  onClick={() => choose(p)}
                >
                  {p.id === product.id ? 'Chosen' : 'Choose'}
                </button>
              </li>
            ))}
          </ul>
        </section>
        <OrderForm product={product} onProductChange={setProduct} onPlaced={(o) => setPlaced((all) => [o, ...all])} />
        <MyOrders placed={placed} />
      </div>
    </>
  );
}
