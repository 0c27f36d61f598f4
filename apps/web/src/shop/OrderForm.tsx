import { useRef, useState } from 'preact/hooks';
import type { OrderBody } from '../api/types.ts';
import { CATALOGUE, type Product } from '../catalogue.ts';
import { useApp } from '../context.ts';
import { formatPrice } from '../ui/format.ts';
import { type Explained, explainOrderFailure, type FieldName, fieldErrors } from './orderMessages.ts';

type Props = { product: Product; onProductChange(product: Product): void; onPlaced(order: OrderBody): void };

/**
 * The order form. The browser's own checks are off (noValidate) so that the API's answer, a 400
 * problem, is what the customer sees, field by field, the same for every client of the API.
 */
export function OrderForm({ product, onProductChange, onPlaced }: Props) {
  const { api, session } = useApp();
  const [qty, setQty] = useState('1');
  const [address, setAddress] = useState('');
  const [phoneNo, setPhoneNo] = useState('');
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<Explained>();
  const [invalid, setInvalid] = useState<Partial<Record<FieldName, string>>>({});
  const [placed, setPlaced] = useState<OrderBody>();
  const summary = useRef<HTMLDivElement>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setSending(true);
    setFailure(undefined);
    setInvalid({});
    setPlaced(undefined);
    try {
      const order = await api.post<OrderBody>('/orders', {
        productId: product.id,
        productName: product.name,
        productPrice: product.price,
        qty: qty.trim() === '' ? null : Number(qty),
        userId: session.userId,
        username: session.username,
        address: address.trim(),
        phoneNo: phoneNo.trim(),
      });
      setPlaced(order);
      onPlaced(order);
    } catch (error) {
      setFailure(explainOrderFailure(error));
      setInvalid(fieldErrors(error));
    } finally {
      setSending(false);
      // The message is announced; moving focus to it also brings it into view on a small screen.
      requestAnimationFrame(() => summary.current?.focus());
    }
  };

  const field = (name: FieldName) => ({
    'aria-invalid': invalid[name] ? ('true' as const) : undefined,
    'aria-describedby': invalid[name] ? `${name}-error` : `${name}-hint`,
  });
  const hint = (name: FieldName, text: string) =>
    invalid[name] ? (
      <p id={`${name}-error`} class="field-error">
        {invalid[name]}
      </p>
    ) : (
      <p id={`${name}-hint`} class="field-hint">
        {text}
      </p>
    );
  const total = Number.isInteger(Number(qty)) && Number(qty) > 0 ? product.price * Number(qty) : undefined;

  return (
    <form class="card order-form" onSubmit={submit} noValidate aria-labelledby="order-form-title">
      <h2 id="order-form-title">Place an order</h2>
      <div ref={summary} tabIndex={-1} class="form-messages">
        {failure ? (
          <div class="message message-error" role="alert">
            <p class="message-title">{failure.title}</p>
            <p>{failure.detail}</p>
          </div>
        ) : null}
        {placed ? (
          <div class="message message-ok" role="status">
            <p class="message-title">Order #{placed.id} placed</p>
            <p>Payment approved. Follow it under “My orders”: delivery starts once a coupon is issued.</p>
          </div>
        ) : null}
      </div>

      <div class="field">
        <label for="productId">Product</label>
        <select
          id="productId"
          value={product.id}
          onChange={(e) => {
            const chosen = CATALOGUE.find((p) => p.id === Number(e.currentTarget.value));
            if (chosen) onProductChange(chosen);
          }}
          {...field('productId')}
        >
          {CATALOGUE.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} — {formatPrice(p.price)}
            </option>
          ))}
        </select>
        {hint('productId', product.description)}
      </div>
      <div class="field">
        <label for="qty">Quantity</label>
        <input
          id="qty"
          name="qty"
          type="number"
          inputMode="numeric"
          min={1}
          max={10000}
          step={1}
          value={qty}
          onInput={(e) => setQty(e.currentTarget.value)}
          {...field('qty')}
        />
        {hint('qty', 'From 1 to 10,000.')}
      </div>
      <div class="field">
        <label for="address">Delivery address</label>
        <input
          id="address"
          name="address"
          autocomplete="street-address"
          value={address}
          onInput={(e) => setAddress(e.currentTarget.value)}
          {...field('address')}
        />
        {hint('address', 'For example: 12 Teheran-ro, Seoul.')}
      </div>
      <div class="field">
        <label for="phoneNo">Phone number</label>
        <input
          id="phoneNo"
          name="phoneNo"
          type="tel"
          autocomplete="tel"
          value={phoneNo}
          onInput={(e) => setPhoneNo(e.currentTarget.value)}
          {...field('phoneNo')}
        />
        {hint('phoneNo', 'For example: 010-1234-5678.')}
      </div>
      <p class="total">
        Total: <strong>{total === undefined ? '—' : formatPrice(total)}</strong>
      </p>
      <button type="submit" class="button button-primary" disabled={sending}>
        {sending ? 'Placing order…' : 'Place order'}
      </button>
    </form>
  );
}
