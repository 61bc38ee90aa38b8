/**
 * The cost calibration corpus: data-heavy agent programs of the kinds models write, each with
 * an input generator, the input sizes the estimator should assume for that input, and
 * deterministic stub tools. `calibration.test.ts` runs every program at several sizes with
 * counting tools and compares the counts with `estimateCost`.
 *
 * Sizes are named by data path: `data/orders` has size `orders`, the `:items` of each order
 * `orders.items`, and the list a tool returns the tool's name (`search`), its nested lists
 * `<tool>.<field>`.
 */
import {
  CRM_CUSTOMERS,
  customers,
  documents,
  FILES_PER_REPO,
  hash,
  ITEMS_PER_ORDER,
  orders,
  PAGE_SIZE,
  phrases,
  products,
  REPOS,
  SEARCH_HITS,
  stubs,
  type ToolStub,
  tickets,
} from "./fixtures.js";

export type { ToolStub } from "./fixtures.js";

/** One program of the corpus. */
export interface CostCase {
  readonly id: string;
  readonly program: string;
  /** The run's input, with lists of the given size; `seed` varies the values, never the sizes. */
  readonly data: (size: number, seed?: number) => Record<string, unknown>;
  /** The sizes the estimator should use for `data(size)`, by size name. */
  readonly sizes: (size: number) => Record<string, number>;
  readonly tools: Readonly<Record<string, ToolStub>>;
  /**
   * True when the number of tool calls depends on values (a call under `if`/`when`/`cond`, after
   * a `filter`, per group, in a loop whose exit depends on data or on tool results): for these
   * the estimate is an upper bound, not an exact count.
   */
  readonly dataDependent: boolean;
  /** Per-tool weights (default 1), for both the estimate and the measured total. */
  readonly toolCosts?: Readonly<Record<string, number>>;
  /** The iteration bound of the program's counter loops, given to the estimator. */
  readonly loopBound?: number;
}

const orderSizes = (n: number) => ({ orders: n, "orders.items": ITEMS_PER_ORDER });

export const corpus: readonly CostCase[] = [
  // ---------------------------------------------------------------- calls at top level
  {
    id: "single-lookup",
    program: `
(let [customer (tool/get-customer {:id data/customer_id})
      spent (sum-by :total data/orders)]
  {:name (:name customer) :tier (:tier customer) :spent spent :orders (count data/orders)})`,
    data: (n, seed = 0) => ({ customer_id: 4 + seed, orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "get-customer": stubs.getCustomer },
    dataDependent: false,
  },
  {
    id: "three-independent-calls",
    program: `
(let [rate (tool/exchange-rate {:from "USD" :to "EUR"})
      weather (tool/get-weather {:city data/city})
      news (tool/get-news {:topic data/topic})]
  {:rate (:rate rate) :weather weather :headline (:summary news)
   :eur-total (* (:rate rate) (sum-by :total data/orders))})`,
    data: (n, seed = 0) => ({ city: seed === 0 ? "Lisbon" : "Oslo", topic: "markets", orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: {
      "exchange-rate": stubs.exchangeRate,
      "get-weather": stubs.report,
      "get-news": stubs.summarize,
    },
    dataDependent: false,
  },
  {
    id: "let-bound-result-reused",
    program: `
(let [profile (tool/get-customer {:id data/user_id})
      label (str (:name profile) " <" (:email profile) ">")]
  {:label label
   :tier (:tier profile)
   :recent (->> data/orders (filter #(= (:customer_id %) (:id profile))) (map :id) (take 3))})`,
    data: (n, seed = 0) => ({ user_id: 1 + seed, orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "get-customer": stubs.getCustomer },
    dataDependent: false,
  },
  {
    id: "pcalls-dashboard",
    program: `
(let [[sales traffic errors] (pcalls #(tool/sales-report {:region data/region})
                                     #(tool/traffic-report {:region data/region})
                                     #(tool/error-report {:region data/region}))]
  {:sales (:rows sales) :traffic (:rows traffic) :errors (:rows errors)
   :orders (count (filter #(= (:region %) data/region) data/orders))})`,
    data: (n, seed = 0) => ({ region: seed === 0 ? "eu" : "us", orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "sales-report": stubs.report, "traffic-report": stubs.report, "error-report": stubs.report },
    dataDependent: false,
  },
  {
    id: "try-single-call",
    program: `
(let [config (try (tool/fetch-config {:service "billing"})
                  (catch :default e {:rows 0}))]
  {:limit (:rows config)
   :over (count (filter #(> (:total %) (:rows config)) data/orders))})`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "fetch-config": stubs.report },
    dataDependent: false,
  },
  {
    id: "first-only",
    program: `
(let [latest (first (sort-by :id > data/orders))
      customer (tool/get-customer {:id (:customer_id latest)})]
  {:order (:id latest) :customer (:name customer)})`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "get-customer": stubs.getCustomer },
    dataDependent: false,
  },
  {
    id: "def-config-then-compute",
    program: `
(def rates (tool/exchange-rate {:from "USD" :to "EUR"}))
(defn to-eur [amount] (* amount (:rate rates)))
{:total-eur (reduce + (map (comp to-eur :total) data/orders))
 :max-eur (to-eur (apply max (map :total data/orders)))}`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "exchange-rate": stubs.exchangeRate },
    dataDependent: false,
  },

  // ---------------------------------------------------------------- one call per element
  {
    id: "map-enrich-orders",
    program: `
(mapv (fn [order]
        (assoc order :customer (:name (tool/get-customer {:id (:customer_id order)}))))
      data/orders)`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "get-customer": stubs.getCustomer },
    dataDependent: false,
  },
  {
    id: "threaded-fraud-scores",
    program: `
(->> data/orders
     (map #(tool/fraud-score {:order-id (:id %)}))
     (map :score)
     (reduce max 0))`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "fraud-score": stubs.fraudScore },
    dataDependent: false,
  },
  {
    id: "for-classify-tickets",
    program: `
(for [ticket data/tickets]
  {:id (:id ticket)
   :label (:label (tool/classify {:text (:subject ticket)}))})`,
    data: (n, seed = 0) => ({ tickets: tickets(n, seed) }),
    sizes: (n) => ({ tickets: n }),
    tools: { classify: stubs.classify },
    dataDependent: false,
    toolCosts: { classify: 5 },
  },
  {
    id: "doseq-send-emails",
    program: `
(doseq [customer data/customers]
  (tool/send-email {:to (:email customer) :subject "Our terms are changing"}))
{:notified (count data/customers)}`,
    data: (n, seed = 0) => ({ customers: customers(n, seed) }),
    sizes: (n) => ({ customers: n }),
    tools: { "send-email": stubs.sendEmail },
    dataDependent: false,
  },
  {
    id: "reduce-sum-scores",
    program: `
(reduce (fn [total order]
          (+ total (:score (tool/fraud-score {:order-id (:id order)}))))
        0
        data/orders)`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "fraud-score": stubs.fraudScore },
    dataDependent: false,
  },
  {
    id: "filter-tool-predicate",
    program: `
(->> data/products
     (filter #(:in_stock (tool/check-stock {:sku (:sku %)})))
     (map :name))`,
    data: (n, seed = 0) => ({ products: products(n, seed) }),
    sizes: (n) => ({ products: n }),
    tools: { "check-stock": stubs.checkStock },
    dataDependent: false,
  },
  {
    id: "remove-moderated-comments",
    program: `
(let [kept (remove #(neg? (:score (tool/sentiment {:text (:body %)}))) data/comments)]
  {:kept (count kept) :total (count data/comments)})`,
    data: (n, seed = 0) => ({ comments: tickets(n, seed) }),
    sizes: (n) => ({ comments: n }),
    tools: { sentiment: stubs.sentiment },
    dataDependent: false,
  },
  {
    id: "keep-emails-by-id",
    program: `
(keep #(:email (tool/get-customer {:id %})) data/ids)`,
    data: (n, seed = 0) => ({ ids: Array.from({ length: n }, (_, i) => 1 + ((i * 3 + seed) % 40)) }),
    sizes: (n) => ({ ids: n }),
    tools: { "get-customer": stubs.getCustomer },
    dataDependent: false,
  },
  {
    id: "sort-by-tool-score",
    program: `
(->> data/candidates
     (sort-by #(:score (tool/fraud-score {:order-id (:id %)})))
     (take 3)
     (mapv :id))`,
    data: (n, seed = 0) => ({ candidates: orders(n, seed) }),
    sizes: (n) => ({ candidates: n, "candidates.items": ITEMS_PER_ORDER }),
    tools: { "fraud-score": stubs.fraudScore },
    dataDependent: false,
  },
  {
    id: "group-by-geocoded-region",
    program: `
(let [by-region (group-by #(:region (tool/geocode {:zip (:zip %)})) data/customers)]
  (into {} (map (fn [[region people]] [region (count people)]) by-region)))`,
    data: (n, seed = 0) => ({ customers: customers(n, seed) }),
    sizes: (n) => ({ customers: n }),
    tools: { geocode: stubs.geocode },
    dataDependent: false,
  },
  {
    id: "destructured-verify-emails",
    program: `
(mapv (fn [{:keys [id email]}]
        {:id id :valid (:sent (tool/verify-email {:to email}))})
      data/users)`,
    data: (n, seed = 0) => ({ users: customers(n, seed) }),
    sizes: (n) => ({ users: n }),
    tools: { "verify-email": stubs.sendEmail },
    dataDependent: false,
  },
  {
    id: "map-indexed-embeddings",
    program: `
(vec (map-indexed (fn [position doc]
                    {:id (:id doc) :position position :vector (tool/embed {:text (:body doc)})})
                  data/documents))`,
    data: (n, seed = 0) => ({ documents: documents(n, seed) }),
    sizes: (n) => ({ documents: n }),
    tools: { embed: stubs.embed },
    dataDependent: false,
  },
  {
    id: "into-map-for",
    program: `
(into {}
      (for [customer data/customers]
        [(:id customer) (:tier (tool/get-customer {:id (:id customer)}))]))`,
    data: (n, seed = 0) => ({ customers: customers(n, seed) }),
    sizes: (n) => ({ customers: n }),
    tools: { "get-customer": stubs.getCustomer },
    dataDependent: false,
  },
  {
    id: "comp-in-map",
    program: `
(let [rates (mapv (comp :rate #(tool/exchange-rate {:from % :to "EUR"}) :currency) data/invoices)]
  (reduce + (map * rates (map :total data/invoices))))`,
    data: (n, seed = 0) => ({ invoices: orders(n, seed) }),
    sizes: (n) => ({ invoices: n, "invoices.items": ITEMS_PER_ORDER }),
    tools: { "exchange-rate": stubs.exchangeRate },
    dataDependent: false,
  },
  {
    id: "partial-helper",
    program: `
(defn translate-to [language text]
  (:text (tool/translate {:text text :to language})))
(mapv (partial translate-to "de") data/phrases)`,
    data: (n, seed = 0) => ({ phrases: phrases(n, seed) }),
    sizes: (n) => ({ phrases: n }),
    tools: { translate: stubs.translate },
    dataDependent: false,
    toolCosts: { translate: 3 },
  },
  {
    id: "defn-helper-two-tools",
    program: `
(defn enrich [order]
  (let [customer (tool/get-customer {:id (:customer_id order)})
        risk (tool/fraud-score {:order-id (:id order)})]
    (assoc order :customer (:name customer) :risk (:score risk))))
(->> data/orders
     (mapv enrich)
     (sort-by :risk >)
     (take 5))`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "get-customer": stubs.getCustomer, "fraud-score": stubs.fraudScore },
    dataDependent: false,
  },
  {
    id: "helper-called-twice-per-element",
    program: `
(defn quote-in [currency product]
  (* (:price product) (:rate (tool/exchange-rate {:from (:currency product) :to currency}))))
(mapv (fn [product]
        {:sku (:sku product) :usd (quote-in "USD" product) :eur (quote-in "EUR" product)})
      data/products)`,
    data: (n, seed = 0) => ({ products: products(n, seed) }),
    sizes: (n) => ({ products: n }),
    tools: { "exchange-rate": stubs.exchangeRate },
    dataDependent: false,
  },
  {
    id: "two-collections-sequential",
    program: `
(let [people (mapv #(tool/get-customer {:id (:id %)}) data/customers)
      scores (mapv #(tool/fraud-score {:order-id (:id %)}) data/orders)]
  {:customers (count people) :mean-score (/ (reduce + (map :score scores)) (max 1 (count scores)))})`,
    data: (n, seed = 0) => ({ customers: customers(n, seed), orders: orders(2 * n, seed) }),
    sizes: (n) => ({ customers: n, orders: 2 * n, "orders.items": ITEMS_PER_ORDER }),
    tools: { "get-customer": stubs.getCustomer, "fraud-score": stubs.fraudScore },
    dataDependent: false,
  },
  {
    id: "concat-backlogs",
    program: `
(mapv #(tool/archive-ticket {:id (:id %)})
      (concat data/backlog data/escalated))`,
    data: (n, seed = 0) => ({ backlog: tickets(n, seed), escalated: tickets(Math.ceil(n / 2), seed + 1) }),
    sizes: (n) => ({ backlog: n, escalated: Math.ceil(n / 2) }),
    tools: { "archive-ticket": stubs.acknowledge },
    dataDependent: false,
  },
  {
    id: "update-normalize-address",
    program: `
(mapv #(update % :address (fn [address] (:summary (tool/normalize-address {:text address}))))
      data/contacts)`,
    data: (n, seed = 0) => ({ contacts: customers(n, seed) }),
    sizes: (n) => ({ contacts: n }),
    tools: { "normalize-address": stubs.summarize },
    dataDependent: false,
  },
  {
    id: "juxt-price-and-stock",
    program: `
(mapv (juxt :sku
            #(:price (tool/price-quote {:sku (:sku %)}))
            #(:stock (tool/lookup-sku {:sku (:sku %)})))
      data/products)`,
    data: (n, seed = 0) => ({ products: products(n, seed) }),
    sizes: (n) => ({ products: n }),
    tools: { "price-quote": stubs.priceQuote, "lookup-sku": stubs.lookupSku },
    dataDependent: false,
  },
  {
    id: "catalog-nested-path",
    program: `
(let [catalog data/catalog]
  {:name (:name catalog)
   :stock (mapv #(tool/check-stock {:sku (:sku %)}) (:products catalog))})`,
    data: (n, seed = 0) => ({ catalog: { name: "Spring", products: products(n, seed) } }),
    sizes: (n) => ({ "catalog.products": n }),
    tools: { "check-stock": stubs.checkStock },
    dataDependent: false,
  },
  {
    id: "drop-header-row",
    program: `
(let [rows (rest data/rows)]
  (mapv #(tool/import-row {:id (:id %) :name (:name %)}) rows))`,
    data: (n, seed = 0) => ({ rows: customers(n, seed) }),
    sizes: (n) => ({ rows: n }),
    tools: { "import-row": stubs.acknowledge },
    dataDependent: false,
  },
  {
    id: "range-over-count",
    program: `
(mapv (fn [shard] (tool/compact-shard {:shard shard}))
      (range (count data/shards)))`,
    data: (n, seed = 0) => ({ shards: phrases(n, seed) }),
    sizes: (n) => ({ shards: n }),
    tools: { "compact-shard": stubs.acknowledge },
    dataDependent: false,
  },
  {
    id: "batch-partition-all",
    program: `
(->> data/ids
     (partition-all 10)
     (mapv #(tool/bulk-fetch {:ids (vec %)})))`,
    data: (n, seed = 0) => ({ ids: Array.from({ length: n }, (_, i) => i * 2 + seed) }),
    sizes: (n) => ({ ids: n }),
    tools: { "bulk-fetch": stubs.report },
    dataDependent: false,
  },

  // ---------------------------------------------------------------- nested iteration
  {
    id: "mapcat-items-lookup",
    program: `
(->> data/orders
     (mapcat :items)
     (mapv #(tool/lookup-sku {:sku (:sku %)}))
     (map :stock)
     (reduce +))`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "lookup-sku": stubs.lookupSku },
    dataDependent: false,
  },
  {
    id: "nested-doseq-reserve",
    program: `
(doseq [order data/orders
        item (:items order)]
  (tool/reserve-stock {:sku (:sku item) :qty (:qty item) :order (:id order)}))
:reserved`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "reserve-stock": stubs.acknowledge },
    dataDependent: false,
  },
  {
    id: "nested-for-lookup",
    program: `
(for [order data/orders
      item (:items order)]
  {:order (:id order) :sku (:sku item) :stock (:stock (tool/lookup-sku {:sku (:sku item)}))})`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "lookup-sku": stubs.lookupSku },
    dataDependent: false,
  },
  {
    id: "nested-mapv-mapv",
    program: `
(mapv (fn [order]
        {:id (:id order)
         :lines (mapv (fn [item] (:price (tool/price-quote {:sku (:sku item)}))) (:items order))})
      data/orders)`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "price-quote": stubs.priceQuote },
    dataDependent: false,
  },
  {
    id: "nested-outer-and-inner-calls",
    program: `
(mapv (fn [order]
        (let [customer (tool/get-customer {:id (:customer_id order)})
              stock (mapv #(tool/lookup-sku {:sku (:sku %)}) (:items order))]
          {:customer (:name customer) :short (count (filter #(< (:stock %) 5) stock))}))
      data/orders)`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "get-customer": stubs.getCustomer, "lookup-sku": stubs.lookupSku },
    dataDependent: false,
  },
  {
    id: "nested-get-and-destructure",
    program: `
(vec (for [{:keys [id items]} data/orders
           {:keys [sku qty]} items]
       (let [quote (tool/price-quote {:sku sku})]
         {:order id :sku sku :line-total (* qty (:price quote))})))`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "price-quote": stubs.priceQuote },
    dataDependent: false,
  },
  {
    id: "nested-reduce",
    program: `
(reduce (fn [total order]
          (+ total
             (reduce (fn [subtotal item]
                       (+ subtotal (* (:qty item) (:price (tool/price-quote {:sku (:sku item)})))))
                     0
                     (get order :items))))
        0
        data/orders)`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "price-quote": stubs.priceQuote },
    dataDependent: false,
  },
  {
    id: "items-times-currencies",
    program: `
(for [item data/products
      currency ["EUR" "GBP"]]
  {:sku (:sku item) :currency currency
   :rate (:rate (tool/exchange-rate {:from (:currency item) :to currency}))})`,
    data: (n, seed = 0) => ({ products: products(n, seed) }),
    sizes: (n) => ({ products: n }),
    tools: { "exchange-rate": stubs.exchangeRate },
    dataDependent: false,
  },

  // ---------------------------------------------------------------- take / first limits
  {
    id: "take-five-documents",
    program: `
(mapv #(tool/fetch-doc {:id (:id %)}) (take 5 data/documents))`,
    data: (n, seed = 0) => ({ documents: documents(n, seed) }),
    sizes: (n) => ({ documents: n }),
    tools: { "fetch-doc": stubs.fetchDoc },
    dataDependent: false,
  },
  {
    id: "top-leads-pmap",
    program: `
(->> data/leads
     (sort-by :total >)
     (take 10)
     (pmap #(tool/enrich-lead {:id (:id %)}))
     (mapv :rows))`,
    data: (n, seed = 0) => ({ leads: orders(n, seed) }),
    sizes: (n) => ({ leads: n, "leads.items": ITEMS_PER_ORDER }),
    tools: { "enrich-lead": stubs.report },
    dataDependent: false,
    toolCosts: { "enrich-lead": 4 },
  },
  {
    id: "first-search-hit",
    program: `
(let [hits (tool/search {:query data/question})
      top (first hits)]
  (:body (tool/fetch-doc {:id (:id top)})))`,
    data: (n, seed = 0) => ({ question: `refund policy ${seed}`, documents: documents(n, seed) }),
    sizes: (n) => ({ documents: n, search: SEARCH_HITS }),
    tools: { search: stubs.search, "fetch-doc": stubs.fetchDoc },
    dataDependent: false,
  },
  {
    id: "take-per-customer-orders",
    program: `
(mapv (fn [customer]
        {:customer (:id customer)
         :quotes (mapv #(tool/price-quote {:sku (:sku %)}) (take 2 data/products))})
      data/customers)`,
    data: (n, seed = 0) => ({ customers: customers(n, seed), products: products(4, seed) }),
    sizes: (n) => ({ customers: n, products: 4 }),
    tools: { "price-quote": stubs.priceQuote },
    dataDependent: false,
  },

  // ---------------------------------------------------------------- sequential chains over tool results
  {
    id: "search-then-fetch-each",
    program: `
(let [hits (tool/search {:query data/question})]
  (mapv #(tool/fetch-doc {:id (:id %)}) hits))`,
    data: (n, seed = 0) => ({ question: `shipping times ${seed}`, documents: documents(n, seed) }),
    sizes: (n) => ({ documents: n, search: SEARCH_HITS }),
    tools: { search: stubs.search, "fetch-doc": stubs.fetchDoc },
    dataDependent: false,
  },
  {
    id: "search-fetch-summarize",
    program: `
(let [hits (tool/search {:query data/question})
      docs (mapv #(tool/fetch-doc {:id (:id %)}) hits)
      text (str/join "\\n" (map :body docs))]
  (:summary (tool/summarize {:text text})))`,
    data: (_n, seed = 0) => ({ question: `warranty ${seed}` }),
    sizes: () => ({ search: SEARCH_HITS }),
    tools: { search: stubs.search, "fetch-doc": stubs.fetchDoc, summarize: stubs.summarize },
    dataDependent: false,
    toolCosts: { summarize: 20 },
  },
  {
    id: "per-query-search-take-two",
    program: `
(for [query data/queries]
  (let [hits (tool/search {:query query})]
    {:query query :docs (mapv #(tool/fetch-doc {:id (:id %)}) (take 2 hits))}))`,
    data: (n, seed = 0) => ({ queries: phrases(n, seed) }),
    sizes: (n) => ({ queries: n, search: SEARCH_HITS }),
    tools: { search: stubs.search, "fetch-doc": stubs.fetchDoc },
    dataDependent: false,
  },
  {
    id: "mapcat-search-fetch-all",
    program: `
(->> data/queries
     (mapcat #(tool/search {:query %}))
     (mapv #(tool/fetch-doc {:id (:id %)}))
     (map :words)
     (reduce +))`,
    data: (n, seed = 0) => ({ queries: phrases(n, seed) }),
    sizes: (n) => ({ queries: n, search: SEARCH_HITS }),
    tools: { search: stubs.search, "fetch-doc": stubs.fetchDoc },
    dataDependent: false,
  },
  {
    id: "def-tool-list-then-sync",
    program: `
(def crm (tool/list-customers {}))
(doseq [customer crm]
  (tool/sync-contact {:id (:id customer) :email (:email customer)}))
{:synced (count crm) :local (count data/customers)}`,
    data: (n, seed = 0) => ({ customers: customers(n, seed) }),
    sizes: (n) => ({ customers: n, "list-customers": CRM_CUSTOMERS }),
    tools: { "list-customers": stubs.listCustomers, "sync-contact": stubs.acknowledge },
    dataDependent: false,
  },
  {
    id: "search-result-used-twice",
    program: `
(let [hits (tool/search {:query data/question})]
  {:docs (mapv #(tool/fetch-doc {:id (:id %)}) hits)
   :labels (mapv #(:label (tool/classify {:text (:title %)})) hits)})`,
    data: (_n, seed = 0) => ({ question: `login failure ${seed}` }),
    sizes: () => ({ search: SEARCH_HITS }),
    tools: { search: stubs.search, "fetch-doc": stubs.fetchDoc, classify: stubs.classify },
    dataDependent: false,
    toolCosts: { classify: 5 },
  },
  {
    id: "repos-files-lint",
    program: `
(let [repos (tool/list-repos {:org data/org})]
  (vec (for [repo repos
             file (:files repo)]
         (tool/lint-file {:repo (:name repo) :path file}))))`,
    data: (_n, seed = 0) => ({ org: seed === 0 ? "acme" : "globex" }),
    sizes: () => ({ "list-repos": REPOS, "list-repos.files": FILES_PER_REPO }),
    tools: { "list-repos": stubs.listRepos, "lint-file": stubs.report },
    dataDependent: false,
  },
  {
    id: "per-customer-search",
    program: `
(mapv (fn [customer]
        (let [hits (tool/search {:query (:name customer)})]
          {:id (:id customer) :mentions (count hits) :best (:title (first hits))}))
      data/customers)`,
    data: (n, seed = 0) => ({ customers: customers(n, seed) }),
    sizes: (n) => ({ customers: n, search: SEARCH_HITS }),
    tools: { search: stubs.search },
    dataDependent: false,
  },
  {
    id: "fixed-pages-range",
    program: `
(let [rows (mapcat #(tool/list-page {:page %}) (range 1 4))]
  {:rows (count rows) :sum (reduce + (map :value rows))})`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: (n) => ({ ...orderSizes(n), "list-page": PAGE_SIZE }),
    tools: { "list-page": stubs.listPage },
    dataDependent: false,
  },
  {
    id: "dotimes-literal",
    program: `
(dotimes [attempt 3]
  (tool/ping {:attempt attempt}))
(count data/hosts)`,
    data: (n, seed = 0) => ({ hosts: phrases(n, seed) }),
    sizes: (n) => ({ hosts: n }),
    tools: { ping: stubs.acknowledge },
    dataDependent: false,
  },

  // ---------------------------------------------------------------- parallel fan-outs
  {
    id: "pmap-fetch-urls",
    program: `
(let [pages (pmap #(tool/fetch-doc {:id %}) data/urls)]
  {:pages (count pages) :words (reduce + (map :words pages))})`,
    data: (n, seed = 0) => ({ urls: phrases(n, seed).map((p) => `https://example.com/${encodeURIComponent(p)}`) }),
    sizes: (n) => ({ urls: n }),
    tools: { "fetch-doc": stubs.fetchDoc },
    dataDependent: false,
  },
  {
    id: "pmap-nested-items",
    program: `
(pmap (fn [order]
        (mapv #(tool/lookup-sku {:sku (:sku %)}) (:items order)))
      data/orders)`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "lookup-sku": stubs.lookupSku },
    dataDependent: false,
  },
  {
    id: "pmap-then-summarize",
    program: `
(let [scores (pmap #(:score (tool/sentiment {:text (:body %)})) data/reviews)
      mean (/ (reduce + scores) (max 1 (count scores)))]
  (tool/summarize {:text (str "mean sentiment " mean " over " (count scores) " reviews")}))`,
    data: (n, seed = 0) => ({ reviews: tickets(n, seed) }),
    sizes: (n) => ({ reviews: n }),
    tools: { sentiment: stubs.sentiment, summarize: stubs.summarize },
    dataDependent: false,
    toolCosts: { summarize: 20, sentiment: 2 },
  },
  {
    id: "pcalls-of-maps",
    program: `
(let [[people scores] (pcalls #(mapv (fn [c] (tool/get-customer {:id (:id c)})) data/customers)
                              #(mapv (fn [o] (tool/fraud-score {:order-id (:id o)})) data/orders))]
  {:people (count people) :risky (count (filter #(> (:score %) 80) scores))})`,
    data: (n, seed = 0) => ({ customers: customers(n, seed), orders: orders(n, seed) }),
    sizes: (n) => ({ customers: n, ...orderSizes(n) }),
    tools: { "get-customer": stubs.getCustomer, "fraud-score": stubs.fraudScore },
    dataDependent: false,
  },
  {
    id: "pmap-of-pcalls",
    program: `
(pmap (fn [user]
        (let [[profile activity] (pcalls #(tool/get-customer {:id (:id user)})
                                         #(tool/get-activity {:id (:id user)}))]
          {:name (:name profile) :rows (:rows activity)}))
      data/users)`,
    data: (n, seed = 0) => ({ users: customers(n, seed) }),
    sizes: (n) => ({ users: n }),
    tools: { "get-customer": stubs.getCustomer, "get-activity": stubs.report },
    dataDependent: false,
  },
  {
    id: "zipmap-health-checks",
    program: `
(zipmap (map :name data/hosts)
        (pmap #(:ok (tool/health-check {:id (:name %)})) data/hosts))`,
    data: (n, seed = 0) => ({ hosts: customers(n, seed) }),
    sizes: (n) => ({ hosts: n }),
    tools: { "health-check": stubs.acknowledge },
    dataDependent: false,
  },
  {
    id: "pmap-search-then-fetch",
    program: `
(let [hits (tool/search {:query data/question})
      docs (pmap #(tool/fetch-doc {:id (:id %)}) hits)]
  (tool/summarize {:text (str/join " " (map :body docs))}))`,
    data: (_n, seed = 0) => ({ question: `onboarding ${seed}` }),
    sizes: () => ({ search: SEARCH_HITS }),
    tools: { search: stubs.search, "fetch-doc": stubs.fetchDoc, summarize: stubs.summarize },
    dataDependent: false,
    toolCosts: { summarize: 20 },
  },
  {
    id: "pmap-translate-matrix",
    program: `
(pmap (fn [phrase]
        (mapv #(tool/translate {:text phrase :to %}) ["de" "fr" "es"]))
      data/phrases)`,
    data: (n, seed = 0) => ({ phrases: phrases(n, seed) }),
    sizes: (n) => ({ phrases: n }),
    tools: { translate: stubs.translate },
    dataDependent: false,
    toolCosts: { translate: 3 },
  },

  // ---------------------------------------------------------------- counter-bounded loops
  {
    id: "loop-counter-samples",
    program: `
(loop [i 0 samples []]
  (if (< i 5)
    (recur (inc i) (conj samples (:rows (tool/sample {:i i}))))
    {:samples samples :orders (count data/orders)}))`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { sample: stubs.report },
    dataDependent: false,
    loopBound: 5,
  },
  {
    id: "loop-fixed-pages",
    program: `
(loop [page 1 rows []]
  (if (> page 4)
    {:rows (count rows) :ids (mapv :id rows)}
    (recur (inc page) (into rows (tool/list-page {:page page})))))`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: (n) => ({ ...orderSizes(n), "list-page": PAGE_SIZE }),
    tools: { "list-page": stubs.listPage },
    dataDependent: false,
    loopBound: 4,
  },
  {
    id: "loop-when-counter",
    program: `
(loop [i 0]
  (when (< i 6)
    (tool/heartbeat {:tick i})
    (recur (inc i))))
(mapv :id data/orders)`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { heartbeat: stubs.acknowledge },
    dataDependent: false,
    loopBound: 6,
  },

  // ---------------------------------------------------------------- data-dependent: loops
  {
    id: "loop-over-data-until-empty",
    program: `
(loop [tasks data/tasks done 0]
  (if (empty? tasks)
    {:done done}
    (do (tool/run-task {:id (:id (first tasks))})
        (recur (rest tasks) (inc done)))))`,
    data: (n, seed = 0) => ({ tasks: tickets(n, seed) }),
    sizes: (n) => ({ tasks: n }),
    tools: { "run-task": stubs.acknowledge },
    dataDependent: true,
  },
  {
    id: "paginate-until-short-page",
    program: `
(loop [page 1 rows []]
  (let [batch (tool/list-results {:page page})
        rows (into rows batch)]
    (if (and (= (count batch) 5) (< page 20))
      (recur (inc page) rows)
      {:rows (count rows)})))`,
    data: (n, seed = 0) => ({ wanted: n, seed }),
    sizes: () => ({ "list-results": PAGE_SIZE }),
    tools: {
      "list-results": (args) => {
        const page = Number(args["page"] ?? 1);
        return page < 3 ? stubs.listPage(args) : [{ id: page, value: 0 }];
      },
    },
    dataDependent: true,
  },
  {
    id: "retry-until-success",
    program: `
(loop [attempt 1]
  (let [result (tool/submit-job {:attempt attempt :size (count data/orders)})]
    (if (or (:ok result) (>= attempt 5))
      {:attempts attempt :ok (:ok result)}
      (recur (inc attempt)))))`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "submit-job": (args) => ({ ok: Number(args["attempt"] ?? 0) >= 3 }) },
    dataDependent: true,
  },
  {
    id: "recursive-crawl",
    program: `
(defn crawl [url depth]
  (let [page (tool/fetch-doc {:id url})]
    (if (< depth 2)
      (cons (:id page) (mapcat #(crawl (str url "/" %) (inc depth)) ["a" "b"]))
      [(:id page)])))
{:pages (crawl data/root 0) :known (count data/urls)}`,
    data: (n, seed = 0) => ({ root: `https://example.com/${seed}`, urls: phrases(n, seed) }),
    sizes: (n) => ({ urls: n }),
    tools: { "fetch-doc": stubs.fetchDoc },
    dataDependent: true,
    loopBound: 3,
  },
  {
    id: "reduce-until-budget",
    program: `
(reduce (fn [acc order]
          (if (> (:spent acc) 500)
            (reduced acc)
            (let [quote (tool/price-quote {:sku (:sku (first (:items order)))})]
              (-> acc (update :spent + (:price quote)) (update :bought conj (:id order))))))
        {:spent 0 :bought []}
        data/orders)`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "price-quote": stubs.priceQuote },
    dataDependent: true,
  },
  {
    id: "some-first-available",
    program: `
(some #(when (:in_stock (tool/check-stock {:sku %})) %) (map :sku data/products))`,
    data: (n, seed = 0) => ({ products: products(n, seed) }),
    sizes: (n) => ({ products: n }),
    tools: { "check-stock": stubs.checkStock },
    dataDependent: true,
  },

  // ---------------------------------------------------------------- data-dependent: branches
  {
    id: "filter-paid-then-invoice",
    program: `
(->> data/orders
     (filter #(= "paid" (:status %)))
     (mapv #(tool/create-invoice {:order-id (:id %) :amount (:total %)})))`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "create-invoice": stubs.acknowledge },
    dataDependent: true,
  },
  {
    id: "when-in-map-flag-large",
    program: `
(vec (keep (fn [order]
             (when (> (:total order) 150)
               (tool/flag-for-review {:id (:id order)})))
           data/orders))`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "flag-for-review": stubs.acknowledge },
    dataDependent: true,
  },
  {
    id: "if-gift-or-coupon",
    program: `
(mapv #(if (= (:tier %) "gold")
         (tool/send-gift {:id (:id %)})
         (tool/send-coupon {:id (:id %)}))
      data/customers)`,
    data: (n, seed = 0) => ({ customers: customers(n, seed) }),
    sizes: (n) => ({ customers: n }),
    tools: { "send-gift": stubs.acknowledge, "send-coupon": stubs.acknowledge },
    dataDependent: true,
    toolCosts: { "send-gift": 3 },
  },
  {
    id: "cond-route-by-priority",
    program: `
(doseq [ticket data/tickets]
  (cond
    (= (:priority ticket) "high") (tool/page-oncall {:id (:id ticket)})
    (= (:priority ticket) "medium") (tool/create-issue {:id (:id ticket) :title (:subject ticket)})
    :else nil))
(count data/tickets)`,
    data: (n, seed = 0) => ({ tickets: tickets(n, seed) }),
    sizes: (n) => ({ tickets: n }),
    tools: { "page-oncall": stubs.acknowledge, "create-issue": stubs.acknowledge },
    dataDependent: true,
    toolCosts: { "page-oncall": 10 },
  },
  {
    id: "case-dispatch-by-kind",
    program: `
(mapv (fn [ticket]
        (case (:kind ticket)
          "bug" (tool/create-issue {:id (:id ticket)})
          "billing" (tool/refund-check {:id (:id ticket)})
          (tool/classify {:text (:body ticket)})))
      data/tickets)`,
    data: (n, seed = 0) => ({ tickets: tickets(n, seed) }),
    sizes: (n) => ({ tickets: n }),
    tools: { "create-issue": stubs.acknowledge, "refund-check": stubs.report, classify: stubs.classify },
    dataDependent: true,
    toolCosts: { classify: 5 },
  },
  {
    id: "group-by-region-report",
    program: `
(->> data/orders
     (group-by :region)
     (mapv (fn [[region region-orders]]
             (tool/regional-report {:region region :total (sum-by :total region-orders)}))))`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "regional-report": stubs.report },
    dataDependent: true,
  },
  {
    id: "distinct-customers-lookup",
    program: `
(->> data/orders
     (map :customer_id)
     distinct
     (mapv #(tool/get-customer {:id %}))
     (group-by :tier))`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "get-customer": stubs.getCustomer },
    dataDependent: true,
  },
  {
    id: "for-when-refunded",
    program: `
(for [order data/orders
      :let [amount (:total order)]
      :when (= (:status order) "refunded")]
  (tool/notify-finance {:id (:id order) :amount amount}))`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "notify-finance": stubs.acknowledge },
    dataDependent: true,
  },
  {
    id: "if-let-customer-orders",
    program: `
(if-let [customer (tool/find-customer {:email data/email})]
  (let [history (tool/list-page {:page (:id customer)})]
    (mapv #(tool/fraud-score {:order-id (:id %)}) history))
  [])`,
    data: (_n, seed = 0) => ({ email: `customer${3 + seed}@example.com` }),
    sizes: () => ({ "list-page": PAGE_SIZE }),
    tools: {
      "find-customer": (args) => ({ id: (hash(String(args["email"])) % 9) + 1 }),
      "list-page": stubs.listPage,
      "fraud-score": stubs.fraudScore,
    },
    dataDependent: true,
  },
  {
    id: "try-primary-then-fallback",
    program: `
(mapv (fn [item]
        (try (tool/primary-lookup {:sku (:sku item)})
             (catch :default e (tool/fallback-lookup {:sku (:sku item)}))))
      data/products)`,
    data: (n, seed = 0) => ({ products: products(n, seed) }),
    sizes: (n) => ({ products: n }),
    tools: {
      "primary-lookup": (args) => {
        if (Number(String(args["sku"]).slice(4)) % 4 === 0) throw new Error("primary store unavailable");
        return stubs.lookupSku(args);
      },
      "fallback-lookup": stubs.lookupSku,
    },
    dataDependent: true,
  },
  {
    id: "when-nonempty-alert",
    program: `
(let [late (filter #(= "pending" (:status %)) data/orders)]
  (when (seq late)
    (tool/alert-ops {:count (count late)}))
  (count late))`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "alert-ops": stubs.acknowledge },
    dataDependent: true,
  },
  {
    id: "group-tickets-summarize",
    program: `
(let [groups (group-by :priority data/tickets)]
  (into {}
        (for [[priority group] groups]
          [priority (:summary (tool/summarize {:text (str/join "; " (map :subject group))}))])))`,
    data: (n, seed = 0) => ({ tickets: tickets(n, seed) }),
    sizes: (n) => ({ tickets: n }),
    tools: { summarize: stubs.summarize },
    dataDependent: true,
    toolCosts: { summarize: 20 },
  },
  {
    id: "frequencies-per-sku-restock",
    program: `
(let [demand (frequencies (map :sku (mapcat :items data/orders)))]
  (vec (for [[sku n] demand :when (> n 2)]
         (tool/restock {:sku sku :qty n}))))`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { restock: stubs.acknowledge },
    dataDependent: true,
  },
  {
    id: "doseq-when-high-risk",
    program: `
(doseq [order data/orders
        :let [risk (tool/fraud-score {:order-id (:id order)})]
        :when (> (:score risk) 70)]
  (tool/hold-order {:id (:id order)}))
:checked`,
    data: (n, seed = 0) => ({ orders: orders(n, seed) }),
    sizes: orderSizes,
    tools: { "fraud-score": stubs.fraudScore, "hold-order": stubs.acknowledge },
    dataDependent: true,
  },
  {
    id: "classify-then-escalate",
    program: `
(let [labelled (pmap #(assoc % :label (:label (tool/classify {:text (:body %)}))) data/tickets)
      bugs (filter #(= "bug" (:label %)) labelled)]
  {:bugs (mapv #(tool/create-issue {:id (:id %)}) bugs)
   :total (count labelled)})`,
    data: (n, seed = 0) => ({ tickets: tickets(n, seed) }),
    sizes: (n) => ({ tickets: n }),
    tools: { classify: stubs.classify, "create-issue": stubs.acknowledge },
    dataDependent: true,
    toolCosts: { classify: 5 },
  },
];
