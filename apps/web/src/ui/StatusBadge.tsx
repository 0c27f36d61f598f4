/** A status word with a colour that matches its meaning; the word itself carries the meaning. */
export function StatusBadge({ status }: { status: string | null | undefined }) {
  const word = status ?? 'Unknown';
  const tone = /cancel|void|refused|down|^open$|failing|not ready|unavailable/i.test(word)
    ? 'bad'
    : /progress|awaiting|pending|half-open|slow|placed/i.test(word)
      ? 'wait'
      : /started|approved|issued|published|ordered|closed|ready|none/i.test(word)
        ? 'good'
        : 'neutral';
  return <span class={`badge badge-${tone}`}>{word}</span>;
}
