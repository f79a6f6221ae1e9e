/**
 * Words as deploy correlation compares them: identifiers split the way engineers read them
 * (`OrderReservationTimeout`, `consumer_group`, `ledger-projector`, `app/refunds/ledger.py`),
 * lower-cased and reduced to a rough stem so `timeouts`, `throttling` and `snapshots` meet
 * `timeout`, `throttle` and `snapshot`. Words that every alert or every change carries (`error`,
 * `high`, `production`, `request`, file extensions) are dropped: they tell changes apart no better
 * than chance. Pure and dependency-free.
 */

/** English filler and the vocabulary every alert and every change shares. */
const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how if in into is it its ' +
    'may might more most much no nor not now of off on once only or our out over per so some such than that the ' +
    'their them then there these they this those through to too under until up upon very was we were what when where ' +
    'which while who why will with within without would yet you your all any also after again before below above ' +
    'since about across both each few other same own just should here back still even ever like via using used use ' +
    // Alerting vocabulary: every alert says some of these.
    'alert alerts alerting firing fired fire trigger triggered critical warning warn info severity page paged ' +
    'error errors erroring fail fails failed failing failure failures high higher low lower rate rates ratio percent ' +
    'percentage threshold above below over under total count counts number increase increased increasing rising rise ' +
    'spike spiking drop dropped normal normally usual usually expected last minute minutes min mins second seconds sec ' +
    'secs hour hours day days time times value values avg average sum max min median p50 p90 p95 p99 p999 quantile ' +
    'production prod prd staging stage stg dev development live env environment region zone cluster instance instances ' +
    'sentry datadog grafana prometheus alertmanager loki pagerduty opsgenie newrelic honeycomb ' +
    'host hosts node nodes server servers service services system systems app application apps unknown none null nil ' +
    'undefined true false yes ok okay status state code codes http https www com org net io example ' +
    'request requests response responses call calls return returns returned returning ' +
    'latency latencies slow slowness duration availability uptime saturation saturated utilization usage budget burn ' +
    'slo sli apdex throughput healthy unhealthy health check checks degraded outage incident issue issues problem ' +
    // Nouns every program is made of.
    'event events message messages metric metrics data item items record records object objects type types name names ' +
    'field fields list lists detail details info ' +
    // Change vocabulary: every PR says some of these.
    'add adds added adding remove removes removed update updates updated updating change changes changed fix fixes ' +
    'fixed fixing bump bumps bumped chore deps dep feat refactor cleanup tweak tweaks support new old now make ' +
    'makes made get gets set sets let var const func function def class return import export package module ' +
    'public private static void string int bool self this src lib libs pkg cmd internal main index test tests spec ' +
    'readme docs doc github workflow workflows commit commits version versions ' +
    // Where every workload runs: kube-prometheus names every alert after these.
    'kube kubernetes k8s container containers pod pods'
  ).split(/\s+/),
);

/** File extensions: shared by every file of a language, so no clue on their own. */
const EXTENSIONS = new Set(
  'py pyc rb go java kt kts scala ts tsx js jsx mjs cjs rs ex exs erl php cs fs vb swift m mm c cc cpp cxx h hpp sql yaml yml json toml ini cfg conf tf tfvars hcl sh bash md txt html htm css scss xml lock mod sum gradle properties env proto graphql'.split(
    ' ',
  ),
);

/** A rough stem: plural, -ing, -ed, -ation, -er and a final e go, so word forms meet. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (/(ches|shes|xes|sses|zes)$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  let suffixed = false;
  for (const suffix of ['ing', 'ation', 'ed', 'er']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 4) {
      w = w.slice(0, -suffix.length);
      suffixed = true;
      break;
    }
  }
  // `dropped` → `dropp` → `drop`.
  if (suffixed && /([b-df-hj-np-tv-z])\1$/.test(w) && !w.endsWith('ll') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

/** `OrderReservationTimeout` → Order, Reservation, Timeout; `HTTPClient2` → HTTP, Client, 2. */
export function splitIdentifier(identifier: string): string[] {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])(?=[A-Z][a-z])/g, '$1 ')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .replace(/(\d)([A-Za-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

/** A word worth comparing: not filler, not a number, an id, a hash or a bare file extension. */
function informative(word: string): boolean {
  if (word.length < 3) return false;
  if (/^\d+$/.test(word)) return false;
  if (/^[0-9a-f]{6,}$/.test(word) && /\d/.test(word)) return false;
  if (/\d/.test(word) && word.replace(/\D/g, '').length * 2 >= word.length) return false;
  return !STOP_WORDS.has(word) && !EXTENSIONS.has(word);
}

export interface Term {
  /** The stem compared: `reservation` → `reserv`. */
  key: string;
  /** How it was written where it was found, for the evidence: `Reservation`. */
  shown: string;
  /** Two words of one identifier joined (`homefeed`): names one thing, so rarer than either word. */
  compound?: true;
  /** A compound's two words, as stems. */
  parts?: [string, string];
}

/**
 * The terms of a text: each identifier's parts, plus adjacent parts joined (`HomeFeed` also gives
 * `homefeed`), since a compound names one thing more precisely than its words do.
 */
export function terms(text: string): Term[] {
  const found: Term[] = [];
  for (const identifier of text.split(/[^A-Za-z0-9_.\-/:]+/)) {
    if (!identifier) continue;
    // Within one identifier, split on the joints people use (`_`, `-`, `.`, `/`, `:`) and on case.
    for (const chunk of identifier.split(/[\\/:.]+/)) {
      const spans = wordSpans(chunk);
      spans.forEach((span, index) => {
        const word = span.text.toLowerCase();
        const stemmed = stem(word);
        if (informative(word) && informative(stemmed)) found.push({ key: stemmed, shown: span.text });
        const next = spans[index + 1];
        const nextWord = next?.text.toLowerCase();
        // A compound needs one telling word (`max_connections` yes, `error_rate` no).
        if (next && nextWord !== undefined && (informative(word) || informative(nextWord)) && word.length >= 3 && nextWord.length >= 3 && !/\d/.test(word + nextWord)) {
          found.push({ key: `${word}${stem(nextWord)}`, shown: chunk.slice(span.at, next.at + next.text.length), compound: true, parts: [stemmed, stem(nextWord)] });
        }
      });
    }
  }
  return found;
}

/** The words of one chunk (`max_connections`, `HomeFeedAssembler`) with where each starts. */
function wordSpans(chunk: string): { text: string; at: number }[] {
  const spans: { text: string; at: number }[] = [];
  for (const piece of chunk.matchAll(/[A-Za-z0-9]+/g)) {
    let at = piece.index ?? 0;
    for (const word of splitIdentifier(piece[0])) {
      const index = chunk.indexOf(word, at);
      spans.push({ text: word, at: index });
      at = index + word.length;
    }
  }
  return spans;
}

/** The stems of the words of `text` as one set. */
export function termKeys(text: string): Set<string> {
  return new Set(terms(text).map((t) => t.key));
}
