// A trend as a small inline SVG line (server-rendered: no script, no library). The page's template writes
// the numbers below into attributes, escaped like any other value.

const WIDTH = 120;
const HEIGHT = 32;
const PAD = 3;

export interface TrendLine {
  width: number;
  height: number;
  /** `x,y x,y ...` for a polyline; empty when there are fewer than two points. */
  points: string;
  /** The last point, drawn as a dot; null without points. */
  last: { x: number; y: number } | null;
}

export function trendLine(values: readonly (number | null)[]): TrendLine {
  const known = values.flatMap((value, index) => (value === null ? [] : [{ value, index }]));
  if (known.length === 0) return { width: WIDTH, height: HEIGHT, points: '', last: null };
  const min = Math.min(...known.map((point) => point.value));
  const max = Math.max(...known.map((point) => point.value));
  const span = max - min || 1;
  const step = values.length > 1 ? (WIDTH - 2 * PAD) / (values.length - 1) : 0;
  const at = ({ value, index }: { value: number; index: number }) => ({
    x: Math.round((PAD + index * step) * 10) / 10,
    y: Math.round((HEIGHT - PAD - ((value - min) / span) * (HEIGHT - 2 * PAD)) * 10) / 10,
  });
  const placed = known.map(at);
  return {
    width: WIDTH,
    height: HEIGHT,
    points: placed.length > 1 ? placed.map(({ x, y }) => `${x},${y}`).join(' ') : '',
    last: placed.at(-1) ?? null,
  };
}
