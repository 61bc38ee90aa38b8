;; A revenue report over the example orders.
;; Run it with: npx ptc run examples/orders.clj --data examples/orders.json

(def completed
  (->> data/orders
       (filter #(contains? #{"delivered" "shipped"} (:status %)))))

(println "orders:" (count data/orders) "completed:" (count completed))

;; Revenue per region, largest first.
(def regions
  (->> completed
       (group-by :region)
       (map (fn [[region orders]]
              {:region region
               :orders (count orders)
               :revenue (sum-by :amount orders)}))
       (sort-by :revenue >)))

(doseq [{:keys [region orders revenue]} regions]
  (println (format "%-6s %3d orders %9.2f" region orders revenue)))

;; Units sold per product across all completed orders.
(def top-products
  (->> completed
       (mapcat :items)
       (group-by :sku)
       (map (fn [[sku items]]
              {:sku sku
               :name (:name (first items))
               :units (reduce + (map :qty items))}))
       (sort-by :units >)
       (take 3)))

(def gold-share
  (let [gold (filter #(= "gold" (get-in % [:customer :tier])) completed)]
    (/ (sum-by :amount gold) (sum-by :amount completed))))

{:regions (mapv :region regions)
 :top-products (mapv (juxt :name :units) top-products)
 :largest-order (select-keys (apply max-key :amount completed) [:id :amount])
 :gold-share (format "%.1f%%" (* 100 gold-share))
 :pending (let [pending (filter (where :status = "pending") data/orders)]
            {:orders (count pending)
             :amount (sum-by :amount pending)
             :customers (count (distinct (map #(get-in % [:customer :id]) pending)))})}
