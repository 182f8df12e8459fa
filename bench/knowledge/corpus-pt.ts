// The documents of Padaria Aurora (a bakery in Vila Madalena, São Paulo), in Portuguese, written
// for the retrieval bench: a menu with prices, opening hours, delivery terms, orders and an FAQ.
export const PT_DOCUMENTS: Record<string, string> = {
  'cardapio.md': `# Cardápio
## Pães
Pão francês R$ 1,00 a unidade, sai do forno às 6h, 11h e 16h. Pão de fermentação natural (levain) R$ 24,00, com casca crocante e miolo aerado.
## Pão de queijo
Pão de queijo mineiro feito com polvilho azedo e queijo canastra: R$ 6,00 a porção de 100 g, quentinho o dia todo.
## Bolos
| Bolo | Fatia | Inteiro |
|---|---|---|
| Cenoura com cobertura de chocolate | R$ 9,00 | R$ 48,00 |
| Fubá com goiabada | R$ 8,00 | R$ 42,00 |
| Laranja | R$ 8,00 | R$ 40,00 |
## Salgados
Coxinha de frango com catupiry R$ 8,50, empada de palmito R$ 9,00, esfiha de carne R$ 7,00.
## Bebidas
Café coado R$ 5,00, cappuccino R$ 11,00, suco de laranja natural 300 ml R$ 10,00, chocolate quente R$ 12,00.
## Café da manhã
Combo café da manhã até as 11h: pão na chapa, café com leite e uma fruta por R$ 18,00.
`,
  'horario.md': `# Horário de funcionamento
## Dias de semana
De segunda a sexta abrimos às 6h e fechamos às 20h.
## Fim de semana
Aos sábados das 7h às 18h. Aos domingos das 7h às 13h.
## Feriados
Em feriados nacionais abrimos das 7h às 13h. No Natal e no Ano Novo a loja fica fechada.
`,
  'entrega.md': `# Entrega
## Área de entrega
Entregamos em até 5 km da loja: Vila Madalena, Pinheiros, Sumaré e Perdizes.
## Taxa de entrega
A taxa é R$ 7,00; pedidos acima de R$ 80,00 têm frete grátis.
## Horário das entregas
As entregas saem das 8h às 19h, todos os dias, e chegam em até 50 minutos.
## Pedido mínimo
O pedido mínimo para entrega é R$ 30,00.
## Aplicativos
Também estamos no iFood e no Rappi, com os preços do aplicativo.
`,
  'encomendas.md': `# Encomendas
## Bolos de aniversário
Bolos de aniversário são encomendados com 48 horas de antecedência, a partir de R$ 120,00 (serve 15 pessoas).
## Salgados para festa
O cento de salgadinhos de festa custa R$ 95,00, com no mínimo 24 horas de antecedência.
## Sinal
Encomendas exigem um sinal de 50% pago por Pix; o restante na retirada.
## Cancelamento
Cancelamentos com mais de 24 horas devolvem o sinal inteiro; depois disso o sinal não é devolvido.
`,
  'perguntas.md': `# Perguntas frequentes
## Pagamento
Aceitamos Pix, cartão de crédito e débito, vale-refeição e dinheiro.
## Sem glúten
Temos pão sem glúten às terças e sextas, feito em forno separado, mas a cozinha não é livre de traços.
## Vegano
O bolo de laranja e a esfiha de grão-de-bico são veganos.
## Estacionamento
Não temos estacionamento próprio; há um estacionamento conveniado na Rua Harmonia com 1 hora grátis.
## Animais
Animais de estimação são bem-vindos nas mesas da calçada.
## Wi-Fi
O Wi-Fi é gratuito para clientes; a senha está impressa na nota.
## Trabalhe conosco
Envie seu currículo para vagas@padariaaurora.com.br.
`,
};
