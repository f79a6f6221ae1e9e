/**
 * What an alert says about a cause outside the service's own changes: a provider answering 503 or
 * saying it is overloaded, a broker or database node gone, a failure confined to one availability
 * zone, a traffic surge, calls to a named dependency timing out, credentials that expired. An
 * on-call engineer reads these first and looks at deploys second. Each kind weighs against the
 * changes as a log likelihood ratio (`features.ts`, `externalCause`):
 *
 * - `provider` (−0.8): the other side answered 502/503/504 or said it is overloaded or down. A
 *   change here earns a 4xx from it, not its 5xx, so every change weighs less, even one that
 *   touches the provider's client.
 * - `platform` (−1.0): a node, broker or replica failed or failed over, DNS stopped resolving.
 *   Deploys of the service rarely do that.
 * - `datastore` (−2.0): the data store says it is unhealthy in its own terms: cluster red or
 *   yellow, unassigned shards, under-replicated partitions, replication stopped, a disk watermark
 *   passed and indices read-only, slots not covered, quorum lost, the database's disk full. These
 *   are the store's states (a node gone, a disk filled, a corrupt relay log), which a deploy of the
 *   service almost never brings about; the exception is a change to the store itself (its shard
 *   and replica settings, its nodes and disks, a migration), which is spared (`features.ts`).
 * - `zone` (−2.3): the errors come from one availability zone or region only, while a deploy
 *   reaches all of them: P(confined to one zone | a change did it) ≈ 0.04 (zonal rollouts, zone-local
 *   data) against ≈ 0.4 for other incidents.
 * - `demand` (−0.8): traffic at several times its usual level (a sale, a newsletter).
 * - `dependency` (−1.2): calls to a dependency the alert names (a provider label, a peer, a host)
 *   time out, are refused or rate-limited, or credentials expired. Ambiguous: a change to how the
 *   service calls it (a lowered client timeout, a new retry policy) is a classic culprit, so a
 *   change that carries the alert's words is spared; the others weigh less. Real-user monitoring
 *   attributing long tasks or errors to a third-party script (`attributed to cdn.vendor.net`) is
 *   a dependency failing of this kind: the change that loads or upgrades that script is spared.
 * - `expiry` (−3.0): a certificate or credential past its date (`certificate expired`, `notAfter`,
 *   a client secret or API key expired). It expires on a calendar, whatever was deployed; only a
 *   change to certificates, TLS or secrets is spared.
 * - `quota` (−2.5): a usage allowance used up (`quota exceeded`, `monthly request limit reached`):
 *   use fills it over days, a change of the last hours rarely does.
 * - `growth` (−1.5): a resource grown steadily for days or weeks: a trend older than the window.
 * - `shared` (−2.0): other services fail the same way, or the dependency fails for every caller;
 *   one service's deploy does not reach them.
 * - `notice` (−2.5): the provider or the platform says it has an incident or works on the system:
 *   its status page lists degraded performance, a cloud's health event, a managed service's
 *   maintenance or patching window, an RDS event. The engineer reads the notice and stops there.
 * - `unchanged` (−1.5): the alert says the service's own work is unchanged (its own error rate,
 *   its queries and their plans, the time per request or per row) or that its other dependencies,
 *   zones or pods serve normally: what changed is around it. (Traffic unchanged says the opposite,
 *   and is not read.) A change that caused the incident shows in its own work nine times in ten.
 * - `neighbour` (−1.5): another workload on a shared resource: a database role, user or
 *   `application_name` named as the load, another team's job, an ad-hoc or BI query. Spared: a
 *   change that carries the name of that workload (it may be the service's own job).
 * - `clock` (−3.0): a node's clock is off (offset, skew, NTP or chrony not running): tokens and
 *   signatures fail on every release alike.
 * - `dns` (−2.0): the resolver fails (SERVFAIL, EAI_AGAIN); a wrong name answers NXDOMAIN instead.
 * - `exhausted` (−4.0): an identifier space ran out (a signed INT's 2147483647, a sequence at its
 *   maximum): rows fill it over years, whatever was deployed.
 * - `retired` (−2.5): the other side retired or sunset what the service calls (`410 Gone`, a
 *   `Sunset` header, "API v1 was retired on …", "no longer supported"): it goes on the provider's
 *   date, whatever was deployed.
 * - `rotated` (−2.5): a secret or credential was rotated or rewritten by someone else (a rotation
 *   job, another team, a secret store's new version) and the service restarted with it, or the
 *   alert says the service's own build did not change (`no new image since 07:26`). Spared: a
 *   change to certificates, TLS or secrets, which may be the rotation.
 * - `recurring` (−3.0): the failure reproduces on an older release (replayed on staging against last
 *   week's build: same error) or was seen long before: the change did not bring it.
 * - `standing` (−2.0): the condition is dated days back (`Ready=False since 2026-12-08`, a renewal
 *   failing every hour since): it is older than the changes in the window.
 * - `hardware` (−2.5): a machine's or a link's own hardware fails: a GPU off the bus, memory or
 *   machine-check errors, a RAID controller without its battery, a failing disk, an optic or a
 *   flapping switch port, a hardware ticket opened. No deploy reaches the hardware.
 * - `scoped` (−2.0): only one rack, or one tenant of many, fails, while the same release serves
 *   the rest: what sets the failing part apart is not the code.
 * - `calendar` (−2.0): a date the code meets for the first time (a change of daylight saving time,
 *   a leap day, ISO week 53, the turn of a year): the code that fails has run for years. Spared: a
 *   change to date and time handling.
 *
 * Several kinds add up, to `EXTERNAL_MAX` (−5.0) at most: they are not independent (a zone failing
 * and other services in it failing are one story told twice), but two of them together say more
 * than either.
 *
 * Pure: the alert's text and labels in, the signals out.
 */

import { spaced } from './alertDomain.ts';

export type ExternalKind =
  | 'provider'
  | 'platform'
  | 'datastore'
  | 'zone'
  | 'demand'
  | 'dependency'
  | 'expiry'
  | 'quota'
  | 'growth'
  | 'shared'
  | 'notice'
  | 'unchanged'
  | 'neighbour'
  | 'clock'
  | 'exhausted'
  | 'dns'
  | 'retired'
  | 'rotated'
  | 'calendar'
  | 'recurring'
  | 'standing'
  | 'hardware'
  | 'scoped';

export interface ExternalSignal {
  kind: ExternalKind;
  /** As the alert wrote it. */
  said: string;
}

export const EXTERNAL_WEIGHTS: Record<ExternalKind, number> = {
  provider: -0.8,
  platform: -1.0,
  datastore: -2.0,
  zone: -2.3,
  demand: -0.8,
  dependency: -1.2,
  expiry: -3.0,
  quota: -2.5,
  growth: -2.5,
  shared: -2.0,
  notice: -2.5,
  unchanged: -1.5,
  neighbour: -1.5,
  clock: -3.0,
  exhausted: -4.0,
  dns: -2.0,
  retired: -2.5,
  rotated: -2.5,
  calendar: -2.0,
  recurring: -3.0,
  standing: -2.0,
  hardware: -2.5,
  scoped: -2.0,
};
/** Several signals say much the same thing: they add up to this at most (or to the strongest one alone, when it weighs more). */
export const EXTERNAL_MAX = -5.0;

const PROVIDER = [
  /\b(?:returned|returns|returning|answered|answers|responded|responds|with|got|status|HTTP)\s+(?:50[234]|529)\b/i,
  /\b50[234] (?:Service Unavailable|Bad Gateway|Gateway Time-?out)\b/i,
  /\b(?:Service Unavailable|Bad Gateway|Gateway Time-?out|overloaded(?:_error)?|over capacity)\b/i,
  /\b(?:AWS|GCP|Google Cloud|Azure) (?:Service )?(?:Health|status)\b/,
  /\b(?:partial|major|provider|regional|vendor) outage\b|\boutage (?:at|of|on) [A-Z][\w.-]+|\bstatus ?page\b/i,
];

const PLATFORM = [
  /\b(?:fail(?:ed|ing|s)? ?over|failover)\b/i,
  /\blog director(?:y|ies) (?:is |are )?offline\b/i,
  /\b(?:node|broker|host|instance|replica|primary|master|data node|worker node)s?\b[^.;\n]{0,30}\b(?:is |are |went |has gone )?(?:down|offline|lost|left the cluster|NotReady|not ready|terminated|preempted|unreachable)\b/i,
  /\b(?:spot (?:instance )?interruption|preempt(?:ed|ion)|volume detached|kernel panic)\b/i,
  // The network between, and a cloud out of machines: no deploy of the service reaches either.
  /\b(?:packet loss|BGP (?:session|route|routes|peer)\w*|network partition|transit (?:link|provider)|peering link|InsufficientInstanceCapacity|insufficient (?:instance )?capacity in)\b/i,
  /\b(?:NOT_LEADER_OR_FOLLOWER|LEADER_NOT_AVAILABLE|NotLeaderForPartition)\b|\bleader (?:election|elections|changed|moved|re-?elected)\b/i,
  /\bNXDOMAIN\b|\bDNS (?:resolution )?(?:fail|error|timeout)|\b(?:failed|fail|unable) to resolve\b|\bcould not resolve host\b/i,
];

/** A machine's or a link's own hardware failing. */
const HARDWARE = [
  // A GPU off the bus (NVIDIA Xid), memory errors, machine checks.
  /\bXid \d+\b|\bfallen off the bus\b|\b(?:uncorrectable |correctable )?ECC errors?\b|\bmachine check(?: exception)?\b|\bEDAC\b/i,
  /\b(?:hardware (?:failure|fault|error|ticket|case|replacement)|disk failure|failed (?:disk|drive|DIMM|PSU|power supply|fan|optic|transceiver|NIC)|failing (?:disk|drive|DIMM|optic|transceiver|NIC|PSU|fan))\b/i,
  // Storage controllers and disks in their own words: a RAID battery, a degraded array, SMART.
  /\b(?:BBU|battery (?:backup unit|replacement required|failed|failure)|learn cycle (?:failed|failure)|(?:RAID|array) (?:is )?degraded|degraded (?:RAID|array)|SMART (?:errors?|failure|failed)|reallocated sectors?|media errors?)\b/i,
  // The network's hardware: optics, CRC errors on a port, a link or port flapping.
  /\b(?:CRC errors?|optic(?:al)? (?:Rx|Tx|receive|transmit) power|Rx power|(?:interface|link|port|uplink) (?:is |keeps )?flapping|flapping (?:link|interface|uplink|port))\b|\bflapping since\b/i,
];

/** Only one rack, or one tenant of many, fails: what sets it apart is not the release, which all of them run. */
const SCOPED = [
  /\bonly (?:from |on |in )?(?:the )?(?:hosts?|instances?|nodes?|servers?|machines?) (?:in|on|of) rack [\w-]+|\brack [\w-]+\b[^.;\n]{0,30}?\bonly\b/i,
  /\b(?:one|1|a single|only one) (?:tenant|customer|organi[sz]ation|account|merchant|workspace|shop)\b[^.;\n]{0,20}?\b(?:of|out of) (?:our )?[\d,]+\b|\b(?:1|one) of (?:our )?[\d,]+ (?:[\w-]+ )?(?:tenants|customers|organi[sz]ations|accounts|merchants|workspaces|shops)\b/i,
  // A label or tag counting the failing ones: `saml.tenants_failing: 1 of 213`.
  /\b(?:tenants?|customers?|accounts?|organi[sz]ations?|merchants?|workspaces?)_?[\w.]*: (?:1|one) of [\d,]+\b/i,
];

/**
 * The resolver itself failing (SERVFAIL, a temporary failure in name resolution): a name that a
 * change got wrong answers NXDOMAIN, not these, so they weigh more than `platform`.
 */
const DNS = [/\b(?:SERVFAIL|EAI_AGAIN)\b|\bTemporary failure in name resolution\b|\bname resolution (?:timed out|timeout)\b/i];

/**
 * An error that says a connection failed (refused, reset, closed by the server, the name not
 * resolved, the handshake refused, the peer's certificate not verified): it is raised in whichever
 * frame made the call, so the files a stack trace names say little about the code at fault
 * (`features.ts`, `alert_file`).
 */
const CONNECTION_FAILURE = /\b(?:ECONNREFUSED|ECONNRESET|EAI_AGAIN|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|SERVFAIL|CERTIFICATE_VERIFY_FAILED|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\b|\bself[- ]signed certificate\b|\bunable to verify the first certificate\b|\bcertificate verify failed\b|\bx509: certificate signed by unknown authority\b|\bPKIX path building failed\b|\bconnection (?:refused|reset(?: by peer)?)\b|\bserver closed the connection\b|\bcould not connect to\b|\bno route to host\b|\bTemporary failure in name resolution\b/i;

/** What the alert says of a failed connection, when it does. */
export function connectionFailure(text: string): string | undefined {
  return CONNECTION_FAILURE.exec(text)?.[0];
}

/** Data stores' words for their own ill health (read from the alert with identifiers split: `ElasticsearchClusterRed`). */
const DATASTORE = [
  /\bunassigned (?:primary |replica )?shards?\b|\bunder-?replicated\b|\bISR shrink|\boffline partitions?\b/i,
  /\bcluster (?:health |status |state )?(?:is )?(?:red|yellow)\b|\bcluster_state\s*:\s*fail\b|\bCLUSTERDOWN\b|\bslots? (?:are )?not (?:covered|served)\b/i,
  /\bcluster [\w.-]{1,60} is (?:red|yellow)\b/i,
  /\breplication (?:is |has )?(?:broken|stopped|halted|failed|paused|errored)\b|\b(?:slave|replica)_(?:sql|io)_running:?\s*no\b|\breplica(?:tion)? (?:sql |io )?thread (?:stopped|is not running|not running)\b/i,
  /\b(?:high|low|flood[- ]stage) (?:disk )?watermark\b|\bdisk watermark\b|\bread_only_allow_delete\b|\bcluster_block_exception\b/i,
  /\b(?:lost|no) quorum\b|\bquorum (?:lost|not reached)\b|\bsplit[- ]brain\b|\bmaster not discovered\b/i,
  /\b(?:db|database|postgres(?:ql)?|mysql|mariadb|mongo(?:db)?|redis|elasticsearch|opensearch|cassandra|click ?house|kafka|broker)\b[^.;\n]{0,25}?\b(?:disk|volume|storage)(?: space)? (?:is )?(?:almost |nearly )?(?:full|exhausted)\b/i,
  /\b(?:NOT_ENOUGH_SPACE|not enough space|no space left on device|ENOSPC|disk quota exceeded|DiskFull|out of disk space)\b/i,
];

/**
 * What a change to the data store itself says: its shard, replica and replication settings, its
 * nodes, disks and memory limits. Such a change may bring about the store's states above.
 */
export const DATASTORE_SETTINGS = /\b(?:number_of_(?:replicas|shards)|replicas?|shards?|allocation|watermark|replication(?:_factor)?|min_insync_replicas|wal_\w+|max_wal_size|retention|disk_?size|volume_?size|storage|node_?count|nodes|quorum|maxmemory)\b/i;

/** `us-east-1c`, `eu-west-1`, `europe-west4-b`: zones and regions as clouds name them. */
const ZONE_NAME = String.raw`(?:[a-z]{2}-[a-z]+-\d[a-z]?|[a-z]+-[a-z]+\d-[a-z])`;
const ZONE = [
  new RegExp(String.raw`(?:\b(?:only|all|most)\b|\b\d{2,3}(?:\.\d)?%)[^.;\n]{0,50}?\b(?:in|from)\s+(?:(?:pods|instances|hosts|nodes|replicas|servers)\s+in\s+)?(?:availability zone\s+|zone\s+)?(${ZONE_NAME})\b`, 'i'),
  new RegExp(String.raw`\b(?:in|from)\s+(${ZONE_NAME})\s+only\b`, 'i'),
  /\b(?:a single|one) (?:availability )?zone\b/i,
];

const DEMAND = [
  /\b\d+(?:\.\d+)?\s?k?\s?(?:\/s|rps|qps|req\/s|requests\/s)\b[^.;\n]{0,20}?\b(?:against|vs\.?|versus|over) (?:a |the |its )?(?:usual |normal |typical )?\d+(?:\.\d+)?\s?k?\s?(?:\/s|rps|qps|req\/s|requests\/s)? ?baseline\b/i,
  /\b(?:traffic|requests|load|rps|qps)\b[^.;\n]{0,30}?\b\d{2,4}% above (?:the |its )?(?:baseline|usual|normal)\b/i,
  /\b(?:traffic|requests(?: per second)?|rps|qps|load|visitors|sessions|orders)\b[^.;\n]{0,30}?\b\d+(?:\.\d+)?\s?x\b/i,
  /\b\d+(?:\.\d+)?\s?x (?:the )?(?:usual|normal|typical) (?:traffic|load|peak|rate|volume)\b/i,
  /\b\d{2,3}% of (?:the )?(?:requests|traffic|calls|load|writes|queries)\b[^.;\n]{0,30}?\b(?:come|comes|came|are|is) from (?:one|a single)\b|\b(?:with no|without) backoff\b/i,
  // One client version or caller sending most of it: `7.4.0 (iOS) sends 94% of the requests`.
  /\b(?:sends?|makes?|accounts? for|issues?) (?:about |nearly |over |some )?(?:[5-9]\d|100)% of (?:the |all )?(?:requests|traffic|calls|load)\b/i,
  /\b(?:retry storm|thundering herd|flash sale|traffic (?:spike|surge|peak)|newsletter|marketing (?:email|campaign|push|blast)|bot traffic|ddos|scrapers?|crawlers?|botnet)\b/i,
  /\b(?:TV|television|radio) (?:spot|ad|advert|advertisement|campaign)\b|\b(?:ad|advertising|email|sms|push) campaign\b|\bcampaign (?:sent|launched|went out|started)\b/i,
  /\buser[- ]agents? "?[^"\n]{0,60}?\b(?:bot|crawler|spider|harvest\w*|scraper)\b|\b(?:hosting|cloud) providers'? (?:ASNs?|networks|IPs|ranges)\b|\bfrom (?:AS\d{3,6}|hosting providers?)\b/i,
];

/**
 * A certificate or key past its date: certificates expire on a calendar, whatever was deployed.
 * Spared: a change to certificates, TLS settings or secrets (`CREDENTIAL_SETTINGS`).
 */
const EXPIRY = [
  /\bcertificate (?:has |had )?expired\b|\bexpired (?:(?:client|server|tls|ssl|x\.?509|mtls|intermediate|root|ca) )*certificate\b|\bcert(?:ificate)? (?:is )?expired\b/i,
  /\bx\.?509: certificate has expired\b|\bCERT_HAS_EXPIRED\b|\bcertificate_expired\b|\bnotAfter\b/i,
  /\b(?:TLS|SSL) certificate\b[^.;\n]{0,30}\bexpir(?:ed|es|y)\b/i,
  /\b(?:signatures?|RRSIGs?|DNSSEC|domain(?: registration)?|licen[cs]e(?: key)?|subscription) (?:has |have |had |is |are )?expired\b|\bSignature Expired\b|\bRRSIGs?\b[^;\n]{0,40}?\bexpired\b/i,
  // A credential an identity provider issued for a term: client secrets, API and access keys, service passwords.
  /\b(?:the|that|its|this|signing|private|client) key (?:has |had )?expired\b|\bkey expired at\b/i,
  /\b(?:client secrets?|secret keys?|api keys?|access keys?|app passwords?|service account keys?|passwords?)\b[^.;\n]{0,60}?\b(?:is |are |has |have |had )?(?:expired|past (?:its|their) expiry)\b|\bAADSTS7000222\b|\bexpired (?:client secret|api key|access key|password|credentials?)\b/i,
];

/** What a change that issues or replaces a certificate, key or secret says. */
export const EXPIRING_CREDENTIALS = /\b(?:certs?|certificates?|x509|pem|keystore|truststore|secrets?|cert-manager|issuers?|acme|letsencrypt|keys?|credentials?|tokens?)\b|\.(?:pem|crt|key|p12|jks)\b/i;

/** What a change to certificates, TLS or secrets says: such a change may well break a handshake. */
export const CREDENTIAL_SETTINGS = /\b(?:certs?|certificates?|tls|ssl|mtls|x509|pem|keystore|truststore|secrets?|cert-manager)\b|\.(?:pem|crt|key|p12|jks)\b/i;

/**
 * A usage allowance used up: a provider's monthly, daily or account quota, a plan's request
 * limit. Organic use fills it over days or weeks; a change of the last hours rarely does.
 */
const QUOTA = [
  /\bquota (?:exceeded|exhausted|reached|used up)\b|\b(?:exceeded|exhausted|reached) (?:the |its |our |your )?(?:\w+ )?quota\b|\bQUOTA_EXCEEDED\b|\bRESOURCE_EXHAUSTED\b|\binsufficient_quota\b/i,
  /\b(?:monthly|daily|weekly|annual|plan|account|billing|usage) (?:request |api |usage )?(?:limit|quota|allowance|cap) (?:reached|exceeded|hit|used up)\b/i,
  /\b(?:[\d,.]+k?) of (?:[\d,.]+k?) (?:requests|calls|credits|units) used\b/i,
  // A gauge at the account's or region's own limit: `ConcurrentExecutions at 1,000 of 1,000 (the account's regional limit)`.
  /\b(([\d,]+) of \2\b[^.;\n]{0,40}?\b(?:account|region|project|subscription|organi[sz]ation|tenant)(?:'s)? (?:regional |concurrency |service )?(?:limit|quota))\b/i,
  /\b(?:credits?|allowance) (?:exceeded|exhausted|used up|reached|ran out)\b|\b(?:daily|monthly|weekly|account's|plan's) (?:credits|quota|allowance|sending limit)\b[^.;\n]{0,40}?\b(?:used|exhausted|exceeded|reached|ran out)\b/i,
];

/**
 * A resource growing steadily over days or weeks (a disk, a table, a job's running time) that
 * has now reached a limit: a trend that began long before the window's changes.
 */
const GROWTH = [
  /\bgr(?:own|owing|ew|ows)\b(?:[^.;\n]|\.\d){0,40}?\b(?:a|per|each|every) (?:day|week)\b(?:[^.;\n]|\.\d){0,30}?\bfor (?:\d+|several|many) (?:days|weeks|months)\b/i,
  /\bgr(?:own|owing|ew|ow|ows)\b (?:by )?(?:about |around |roughly )?\d+(?:\.\d+)?% (?:a|per|each|every) (?:day|night|week|month|run)\b/i,
  /\b(?:steady|steadily|organic|gradual(?:ly)?|linear(?:ly)?)\b[^.;\n]{0,20}?\bgrow(?:th|ing|n)\b|\bgrow(?:th|ing|n)\b[^.;\n]{0,20}?\b(?:steadily|organically|gradually|linearly)\b/i,
  /\b(?:over|for|in) the (?:last|past) (?:\d+|several|many) (?:days|weeks|months)\b[^.;\n]{0,40}?\b(?:grown|grew|growing|risen|rose|increas(?:ed|ing)|creep(?:ing)?)\b/i,
  // A trend dated months back: `growing by ~9M a day in a straight line since April`.
  /\b(?:growing|grown|grew|rising|risen|climbing|increasing)\b[^.;\n]{0,50}?\b(?:a|per|each|every) (?:day|week|month)\b[^.;\n]{0,40}?\bsince (?:(?:January|February|March|April|May|June|July|August|September|October|November|December)|\d{4}-\d{2}|last (?:month|year))\b|\bin a straight line since\b/i,
  // Free space or headroom shrinking by the same amount every day, for longer than the window.
  /\b(?:dropped|dropping|fallen|falling|fell|shrunk|shrinking|declined|declining|risen|rising|rose|climbed|climbing|increased|filled|filling)\b (?:by )?(?:about |around |roughly |some )?[\d.,]+ ?(?:[KMGT]i?B|%|rows|GB|TB)? (?:a|per|each|every) (?:day|night|week)\b[^.;\n]{0,20}?\bfor (?:\d+|several|many) (?:days|weeks|months)\b/i,
];

/**
 * Other services failing the same way at the same time: whatever they share (a zone, a network,
 * a cluster), one service's deploy does not reach the others.
 */
const SHARED = [
  // Other services that shipped nothing fail alike: `six services, none deployed today, fail the same way`.
  /\b(?:none (?:of them )?deployed|had no deploys?|no deploys? today|not deployed today|without (?:a )?deploy(?:ment)? today)\b[^.;\n]{0,80}?\b(?:fail\w*|time out|timeouts?|same way|same rate|same errors?|alike|as well)\b/i,
  /\b(?:other|unrelated|neighbou?ring) (?:services|teams'? services|applications|apps|workloads)\b[^.;\n]{0,60}?\b(?:as well|too|also|likewise)\b/i,
  /\b(?:also|as well) (?:affects?|affecting|hits?|hitting|seen (?:in|on|by)) (?:other|all|every) (?:services|applications|workloads)\b/i,
  /\b(?:across|in) (?:all|every|many|several) (?:services|applications|workloads)\b/i,
  /\b(?:to|for) (?:every|all|each) (?:of its )?(?:callers?|clients?|consumers?)\b|\b(?:affects?|affecting|hits?|hitting) (?:every|all) (?:services?|sites?|domains?|workloads?|tenants?)\b/i,
];

/** The provider or the platform announcing its own incident or maintenance. */
const NOTICE = [
  /\bstatus ?page (?:lists|shows|says|reports|posted|notes|confirms|announces)\b[^.;\n]{0,80}|\b(?:degraded performance|partial outage|major outage)\b/i,
  // The dependency's own monitoring already firing: its owners know it is broken.
  /(?:\b(?:its|their)|(?<![\w-])[\w-]{1,60}'s?) own (?:monitor|alert|alarm|alerting)\b[^.;\n]{0,80}?\b(?:firing|fired|triggered|alarming)\b/i,
  /\b(?:scheduled|planned) maintenance\b|\bmaintenance window\b|\bpatching (?:in progress|window)\b|\bRDS-EVENT-\d{4}\b|\b(?:AWS|GCP|Google Cloud|Azure) (?:Service )?Health(?: event)?:?\s*"?[^".;\n]{0,60}|\bMSK event\b[^.;\n]{0,60}/i,
];

/** The service's own work said to be unchanged, or its other dependencies, zones or pods said to be fine. */
const OWN_UNCHANGED = [
  /\b(?:our own|its own|[\w-]+'s own)\b[^.;\n]{0,40}?\b(?:unchanged|normal|healthy|as usual)\b/i,
  /\bper[- ](?:request|row|call|query|message|item|record|event)\b[^.;\n]{0,30}?\b(?:unchanged|normal|as usual|steady)\b/i,
  /\b(?:queries|query plans?|plans?)\b[^.;\n]{0,25}?\bunchanged\b/i,
  /\bother (?:upstreams|outbound calls|dependencies|downstreams|zones|regions|pods|instances|endpoints|routes|callers)\b[^.;\n]{0,30}?\b(?:normal|healthy|fine|unaffected|serve normally)\b/i,
  /\b(?:logged-in|organic|human|regular|normal) (?:traffic|users)\b[^.;\n]{0,15}?\b(?:normal|unchanged|as usual)\b|\bserves? normally\b/i,
  // The same build serving normally elsewhere, or the service working for hours after its deploy.
  /\bsame (?:image|build|release|version|binary|model|code)\b[^.;\n]{0,80}?\b(?:normally|fine|healthy|without errors)\b/i,
  /\b(?:worked|ran|published|served|processed|succeeded|answered|validated)\b(?: \w+){0,2}? (?:normally|fine|without errors)\b[^.;\n]{0,40}?\bafter (?:its|the) (?:[\d:]+ )?(?:deploy|deployment|release|rollout)\b/i,
  // The failing code itself said to be old: it has run unchanged for longer than the window.
  /\b(?:has not|hasn't|had not|was not|wasn't) (?:been )?(?:changed|modified|touched) (?:since|in) (?:\d{4}|[A-Z][a-z]+ \d{4}|(?:over |more than )?(?:a|\d+) (?:year|month)s?)\b|\blast (?:changed|modified|touched) (?:in|on) (?:\d{4}|[A-Z][a-z]+ \d{4})\b|\buntouched since (?:\d{4}|[A-Z][a-z]+ \d{4})\b/i,
];

/**
 * A date the code meets for the first time: a change of daylight saving time, a leap day or second,
 * an ISO week 53, the turn of a year. The code that fails has usually run for years; the date is
 * new. Spared: a change to date and time handling, which may be what the date trips.
 */
const CALENDAR = [
  // Standard time to summer time or back, as the zone's abbreviations say it (`02:00 CST straight to 03:00 CDT`); a leap day written as a date.
  /\b(?:CST|EST|MST|PST|AKST|CET|GMT|EET|WET|AEST|ACST|NZST)\b[^.\n]{0,40}?\b(?:CDT|EDT|MDT|PDT|AKDT|CEST|BST|EEST|WEST|AEDT|ACDT|NZDT)\b|\b(?:CDT|EDT|MDT|PDT|CEST|BST|EEST|AEDT|NZDT)\b[^.\n]{0,40}?\b(?:CST|EST|MST|PST|CET|GMT|EET|AEST|NZST)\b/,
  /\b\d{4}-02-29\b/,
  /\b(?:daylight saving(?:s)?(?: time)?|DST (?:change|switch|transition|started|ended|begins|ends)|clocks? (?:went|go|goes|moved|changed|jumped|sprang|springs|fell|falls) (?:forward|back|ahead|from)|summer ?time (?:started|ended|began)|leap (?:day|year|second)|(?:Feb(?:ruary)? ?|2\/)29\b|\b29 Feb(?:ruary)?|ISO week 53|week 53|53rd week|year (?:rollover|boundary|change)|turn of the year)\b/i,
];

/** What a change to date and time handling says. */
export const DATE_HANDLING = /\b(?:dates?|datetimes?|time ?zones?|tz|tzinfo|dst|calendars?|weeks?|leap|luxon|moment|dayjs|date-fns|chrono|joda|zoneinfo|iso ?week|utc)\b/i;

/** Another workload named as the load on a shared resource: group 1 is its name. */
const NEIGHBOUR = [
  /\b(?:by|from) (?:the )?(?:role|db user|database user|user)\s+([\w.-]+)/i,
  /\bapplication_name[ =:]+\(?"?([\w.-]+)/i,
  /\banother team'?s ([\w-]+)|\b((?:ad[- ]hoc|BI|analytics) quer(?:y|ies))\b/i,
  // Redis's and databases' own names for a connection: `client name=segment-export`, MySQL's `user@host`.
  /\bclient[ _](?:name|id)[ =:]+"?([\w.-]{3,})/i,
  /\b(?:issued|held|run|started|opened|taken) by ([\w.-]+@[\w.-]+)/i,
  // A backup or maintenance job holding what the service waits for.
  /\b((?:nightly|daily|weekly|scheduled|full|logical) (?:full )?backups?|xtrabackup|mysqldump|pg_dump(?:all)?|pg_basebackup|FLUSH TABLES WITH READ LOCK|global read lock)\b/i,
];

/** A node's clock off: tokens and signatures fail whatever was deployed. */
const CLOCK = [
  /\bclock (?:skew|offset|drift)\b|\b(?:chronyd?|ntpd?|timesyncd|systemd-timesyncd) (?:is |was )?(?:not running|stopped|down|unsynchroni[sz]ed|not synchroni[sz]ed)\b|\bnode_timex_\w+|\btime (?:is )?(?:out of sync|not synchroni[sz]ed)\b/i,
];

/** An identifier space used up. */
const EXHAUSTED = [
  /\b2147483647\b|\b4294967295\b|\b(?:signed )?(?:INT|integer|int4|int32) (?:maximum|max)\b|\binteger out of range\b|\breached maximum value of sequence\b|\bsequence\b[^.;\n]{0,30}\bexhausted\b/i,
];

/** The failure reproduces without the change: on an older release, or seen long before. */
const RECURRING = [
  /\b(?:previous|older|earlier|last week's|yesterday's) (?:release|version|build|image)\b[^.;\n]{0,40}?\b(?:same (?:error|failure|crash|exception)|fails? the same|also fails?|fails? too)\b/i,
  /\b(?:against|with|on) the (?:release|version|build|image) (?:from|of) (?:last|a|the previous) (?:week|month|year)\b[^.\n]{0,20}?\bsame (?:error|failure|crash|exception)\b/i,
  /\b(?:older|earlier|previous) (?:Sentry |Jira )?(?:issues?|incidents?|events?|tickets?)\b[^.;\n]{0,40}?\bsame (?:error|failure|crash|exception)\b|\b(?:has|had) happened (?:before|again)\b/i,
];

const MONTH = '(?:January|February|March|April|May|June|July|August|September|October|November|December)';

/** A condition dated days back (`Ready=False since 2026-12-08`): older than the changes in the window. */
const STANDING = [
  new RegExp(String.raw`\b(?:failing|failed|fails|Ready=False|NotReady|erroring|broken|degraded|stuck|pending|retried|retrying)\b[^.;\n]{0,60}?\bsince (?:\d{4}-\d{2}-\d{2}|${MONTH} \d{1,2}|\d{1,2} ${MONTH})\b(?![ T]\d{1,2}:\d{2})`, 'i'),
];

/** The other side retired or sunset what the service calls. */
const RETIRED = [
  /\b410 Gone\b|\bSunset: [A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4}\b|\brel="?sunset"?/,
  /\b(?:api|endpoint|version|v\d+)\b[^.;\n]{0,30}?\b(?:was|has been|is|were|have been) (?:retired|sunset|decommissioned|shut down|removed)\b|\bendpoint_retired\b|\b(?:is|are) no longer (?:supported|available|served)\b/i,
  // The provider's own words for a version past its life: `You are calling a deprecated version of the API`.
  /\b(?:deprecated|unsupported|retired|sunset) (?:API |SDK )?version\b|\b(?:version|api|v\d+(?:\.\d+)?)\b[^.;\n]{0,30}?\b(?:reached|reaches|past|beyond) (?:its )?end[- ]of[- ](?:life|support)\b/i,
];

/** A secret rotated or rewritten by someone else, or the service's own build said unchanged at the start. */
const ROTATED = [
  /\b(?:secrets?|credentials?|keys?|passwords?|tokens?|ExternalSecret|SealedSecret)\b[^.;\n]{0,60}?\b(?:was |were |has been |have been )?(?:rotated|re-?generated|rewritten)\b|\b(?:rotation|rotator)\b[^.;\n]{0,40}?\b(?:job|run|wrote|changed|rotated)\b|\b[\w-]*rotator[\w-]*\b/i,
  /\b(?:ExternalSecret|SealedSecret|Secret|secret) [\w/.-]+ (?:changed|was updated|was rewritten)\b/i,
  /\bno new [\w-]+ (?:image|build|release|deploy(?:ment)?|version|rollout)s? since\b|\b(?:same|unchanged) (?:image|build|release|version) (?:since|as before)\b/i,
];

/** A dependency failing in a way the service's own change may well cause: only with a named dependency. */
const DEPENDENCY_TROUBLE = [
  /\b(?:tim(?:ed|ing|es) out|timeouts?|deadline exceeded|DEADLINE_EXCEEDED|context deadline|client deadline|client timeout)\b/i,
  /\b(?:connection (?:refused|reset|closed)|reset by peer|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|could not connect|no route to host|unreachable)\b/i,
  /\b(?:rate[- ]limit(?:ed|ing)?|throttl(?:ed|ing)|too many requests|429)\b/i,
  /\b(?:expired|has expired|expiry)\b/i,
  /\battributed to [\w./-]{3,120}/i,
];

/** Labels that name the dependency a service calls. */
const PEER_LABELS = ['provider', 'peer', 'peer.service', 'peer_service', 'upstream', 'target', 'remote', 'remote_service', 'dependency', 'destination', 'vendor', 'partner', 'external_service', 'downstream'];
/** …and words that do. */
const PEER_WORDS = /\b(?:provider|vendor|upstream|third[- ]party|partner|external (?:api|service))\b|\b(?:calls?|requests?) (?:from [\w.-]+ )?to [\w.-]+|→|\b(?:[a-z0-9-]+\.)+(?:com|net|io|org|dev|cloud|app|co)\b/i;

function first(patterns: readonly RegExp[], text: string): string | undefined {
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match) return match[1] ?? match[0];
  }
  return undefined;
}

/** `cdn.vendor.net/widget.js.` → `cdn.vendor.net/widget.js`: the sentence's full stop is not part of what was said. */
function withoutTrailingPunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && '.,;:'.includes(text[end - 1] ?? '')) end -= 1;
  return text.slice(0, end);
}

/** What says each kind, in the order they are read (data stores' words are read with identifiers split). */
const SIGNAL_PATTERNS: readonly [ExternalKind, readonly RegExp[]][] = [
  ['provider', PROVIDER],
  ['platform', PLATFORM],
  ['datastore', DATASTORE],
  ['zone', ZONE],
  ['demand', DEMAND],
  ['expiry', EXPIRY],
  ['quota', QUOTA],
  ['growth', GROWTH],
  ['shared', SHARED],
  ['notice', NOTICE],
  ['unchanged', OWN_UNCHANGED],
  ['neighbour', NEIGHBOUR],
  ['clock', CLOCK],
  ['exhausted', EXHAUSTED],
  ['dns', DNS],
  ['retired', RETIRED],
  ['rotated', ROTATED],
  ['calendar', CALENDAR],
  ['recurring', RECURRING],
  ['standing', STANDING],
  ['hardware', HARDWARE],
  ['scoped', SCOPED],
];

/** `4,100 requests/s (usually ~110`, `from 3.8k/s to 36k/s`: a rate against its usual one. */
const RATE_AGAINST_USUAL = /(?<![\d.,])(\d[\d.,]*) ?(k)? ?(?:requests|req|rps|qps|calls|messages|events)?(?:\/s| a second| per second| a minute| per minute)\b[^.;\n(]{0,12}\((?:usually|normally|typically|baseline|vs\.?)\s*~?([\d.,]+) ?(k)?/gi;
const RATE_JUMP = /\b(?:jumped|rose|went|climbed|spiked|grew) from ([\d.,]+) ?(k)? ?(?:\/s|rps|qps|requests\/s)? to ([\d.,]+) ?(k)? ?(?:\/s|rps|qps|requests\/s)/gi;

/** A rate said to be several times its usual level: traffic surging, whatever changed. */
function surge(text: string): string | undefined {
  const amount = (digits: string | undefined, k: string | undefined) => Number((digits ?? '').replace(/,/g, '')) * (k ? 1000 : 1);
  for (const pattern of [RATE_AGAINST_USUAL, RATE_JUMP]) {
    for (const m of text.matchAll(pattern)) {
      const [now, usual] = pattern === RATE_JUMP ? [amount(m[3], m[4]), amount(m[1], m[2])] : [amount(m[1], m[2]), amount(m[3], m[4])];
      if (usual > 0 && now / usual >= 3) return m[0];
    }
  }
  return undefined;
}

/** The alert's signals of a cause outside the service's changes, one per kind at most. */
export function externalSignals(text: string, labels: Readonly<Record<string, string>>): ExternalSignal[] {
  const found: ExternalSignal[] = [];
  const add = (kind: ExternalKind, said: string | undefined): void => {
    if (said && !found.some((s) => s.kind === kind)) found.push({ kind, said: withoutTrailingPunctuation(said.trim()).slice(0, 80) });
  };
  // A date the code meets may be in a label (`report_date=2028-02-29`).
  const withLabels = [text, ...Object.values(labels)].join('\n');
  const namedLabels = [text, ...Object.entries(labels).map(([key, value]) => `${key}: ${value}`)].join('\n');
  for (const [kind, patterns] of SIGNAL_PATTERNS) add(kind, first(patterns, kind === 'datastore' ? spaced(text) : kind === 'calendar' ? withLabels : kind === 'scoped' ? namedLabels : text));
  add('demand', surge(text));
  const peer = Object.entries(labels).find(([key, value]) => PEER_LABELS.includes(key.toLowerCase()) && value.trim() !== '') ?? (PEER_WORDS.test(text) ? ['', ''] : undefined);
  if (peer && !found.some((s) => s.kind === 'provider')) add('dependency', first(DEPENDENCY_TROUBLE, text));
  return found;
}
