// Padaria Aurora's documents in English (for visitors and the English WhatsApp number).
export const EN_DOCUMENTS: Record<string, string> = {
  'menu.md': `# Menu
## Breads
French roll R$ 1.00 each, fresh from the oven at 6 am, 11 am and 4 pm. Sourdough loaf R$ 24.00 with a crunchy crust.
## Cheese bread
Minas-style cheese bread made with sour cassava starch and canastra cheese: R$ 6.00 per 100 g portion, warm all day.
## Cakes
| Cake | Slice | Whole |
|---|---|---|
| Carrot with chocolate frosting | R$ 9.00 | R$ 48.00 |
| Cornmeal with guava paste | R$ 8.00 | R$ 42.00 |
| Orange | R$ 8.00 | R$ 40.00 |
## Savory snacks
Chicken coxinha with cream cheese R$ 8.50, heart of palm pie R$ 9.00, beef esfiha R$ 7.00.
## Drinks
Filter coffee R$ 5.00, cappuccino R$ 11.00, fresh orange juice 300 ml R$ 10.00, hot chocolate R$ 12.00.
## Breakfast
Breakfast combo until 11 am: toasted buttered bread, coffee with milk and a piece of fruit for R$ 18.00.
`,
  'hours.md': `# Opening hours
## Weekdays
Monday to Friday we open at 6 am and close at 8 pm.
## Weekends
Saturdays from 7 am to 6 pm. Sundays from 7 am to 1 pm.
## Holidays
On national holidays we open from 7 am to 1 pm. We are closed on Christmas Day and New Year's Day.
`,
  'delivery.md': `# Delivery
## Delivery area
We deliver within 5 km of the shop: Vila Madalena, Pinheiros, Sumaré and Perdizes.
## Delivery fee
The fee is R$ 7.00; orders over R$ 80.00 ship free.
## Delivery times
Deliveries leave between 8 am and 7 pm every day and arrive within 50 minutes.
## Minimum order
The minimum order for delivery is R$ 30.00.
## Apps
You can also find us on iFood and Rappi, at the app's prices.
`,
  'orders.md': `# Custom orders
## Birthday cakes
Birthday cakes must be ordered 48 hours in advance, from R$ 120.00 (serves 15 people).
## Party snacks
One hundred party snacks cost R$ 95.00, ordered at least 24 hours ahead.
## Deposit
Custom orders need a 50% deposit paid by Pix; the rest is paid at pickup.
## Cancellation
Cancelling more than 24 hours ahead refunds the whole deposit; after that the deposit is kept.
`,
  'faq.md': `# FAQ
## Payment
We accept Pix, credit and debit cards, meal vouchers and cash.
## Gluten free
We bake gluten-free bread on Tuesdays and Fridays in a separate oven, but the kitchen is not free of traces.
## Vegan
The orange cake and the chickpea esfiha are vegan.
## Parking
We have no parking lot of our own; a partner garage on Rua Harmonia gives 1 free hour.
## Pets
Pets are welcome at the sidewalk tables.
## Wi-Fi
Wi-Fi is free for customers; the password is printed on the receipt.
## Jobs
Send your résumé to vagas@padariaaurora.com.br.
`,
};
