import { useState } from 'preact/hooks';
import type { FaultMode } from '../api/types.ts';
import { useApp } from '../context.ts';
import { ProblemMessage } from '../ui/ProblemMessage.tsx';

const KINDS: { kind: FaultMode['kind']; label: string }[] = [
  { kind: 'none', label: 'none (healthy)' },
  { kind: 'down', label: 'down (drops connections)' },
  { kind: 'failing', label: 'failing (answers 500)' },
  { kind: 'slow', label: 'slow (delays answers)' },
];

/** Embedded mode's fault switch for one service: PUT /ops/faults/{service}. */
export function FaultControl({ service, current }: { service: string; current: FaultMode }) {
  const { api } = useApp();
  const [kind, setKind] = useState<FaultMode['kind']>(current.kind);
  const [delayMs, setDelayMs] = useState(current.kind === 'slow' ? String(current.delayMs) : '1500');
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const apply = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setFailure(undefined);
    try {
      await api.put(`/ops/faults/${service}`, kind === 'slow' ? { kind, delayMs: Number(delayMs) } : { kind });
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="fault" onSubmit={apply} aria-label={`Fault switch for ${service}`}>
      <label for={`fault-${service}`} class="visually-hidden">
        Fault for {service}
      </label>
      <select
        id={`fault-${service}`}
        value={kind}
        onChange={(e) => setKind(e.currentTarget.value as FaultMode['kind'])}
      >
        {KINDS.map((k) => (
          <option key={k.kind} value={k.kind}>
            {k.label}
          </option>
        ))}
      </select>
      {kind === 'slow' ? (
        <>
          <label for={`delay-${service}`} class="visually-hidden">
            Delay for {service} in milliseconds
          </label>
          <input
            id={`delay-${service}`}
            class="delay"
            type="number"
            min={1}
            max={60000}
            value={delayMs}
            onInput={(e) => setDelayMs(e.currentTarget.value)}
          />
          <span aria-hidden="true">ms</span>
        </>
      ) : null}
      <button type="submit" class="button" disabled={busy}>
        Apply<span class="visually-hidden"> to {service}</span>
      </button>
      {failure ? <ProblemMessage error={failure} title="The fault switch failed" /> : null}
    </form>
  );
}
