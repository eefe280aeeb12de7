import { defineMessages } from './define.js';

/**
 * Texts of the public pages a visitor reads in a browser (keys: `pages:<key>`): the data deletion
 * instructions (/data-deletion) and the deletion status page (src/privacy/routes.ts). Unlike chat texts,
 * these may hold inline HTML (`<strong>`, `<em>`, `<code>`, `<a href="{{…}}">`), the same in every
 * language; every `{{value}}` is HTML-escaped by the page before it is filled in.
 */
export const pagesMessages = defineMessages({
  en: {
    'layout.languages': 'Other languages',

    'status.title': 'Data deletion request',
    'status.code': 'Confirmation code: <code>{{code}}</code>',
    'status.receivedOn': 'Received: {{date}}',
    'status.status': 'Status: <strong>{{status}}</strong>',
    'status.state.received': 'Received: we are working on it.',
    'status.state.awaitingConfirmation': 'Waiting for your confirmation in the chat.',
    'status.state.inProgress': 'In progress: your data is being deleted.',
    'status.state.completed': 'Completed.',
    'status.state.failed': 'Not finished yet: a check found data left behind, and the team has been alerted.',
    'status.state.cancelled': 'Cancelled at your request: nothing was deleted.',
    'status.notFound':
      'No request found for this link, or it is still being recorded. Check that you copied the whole link, or try again later.',
    'status.nothingLinked':
      'This service keeps no data linked to your Facebook account, so there was nothing to delete. If you chatted with a business on WhatsApp, write <em>delete my data</em> in that chat to delete what that business holds about you.',
    'status.howTo': 'See <a href="{{href}}">how to delete your data</a>.',

    'deletion.title': 'How to delete your data',
    'deletion.intro':
      'Businesses use this service to take orders and answer customers on WhatsApp. Each business decides about its own customers’ data; a request to one business never touches another’s.',
    'deletion.ways.heading': 'Ways to ask',
    'deletion.ways.chat':
      '<strong>In the WhatsApp chat</strong> with the business: write <em>delete my data</em> (or <em>borra mis datos</em>, <em>apague meus dados</em>, <em>supprimer mes données</em>, <em>meine Daten löschen</em>). The bot explains what is deleted and kept, asks you to confirm with a button, and answers with a confirmation code. Write <em>what data do you have on me</em> to get a copy first.',
    'deletion.ways.meta':
      '<strong>Through Facebook / Meta:</strong> removing this app in your Facebook settings sends us a deletion request; you get a confirmation code and a status link.',
    'deletion.ways.email':
      '<strong>By e-mail:</strong> write to <a href="mailto:{{email}}">{{email}}</a> from any address, naming the business and your WhatsApp number. We pass it to the business, which carries it out and answers within one month.',
    'deletion.kept.heading': 'What is kept, and why',
    'deletion.kept.orders':
      'Orders, anonymised: items, amounts, dates and order number, with no name, phone, address or chat, for as long as accounting law requires (10 years unless the business set otherwise).',
    'deletion.kept.record':
      'A record of your request (code, dates, counts; no personal data) for 3 years, to show it was done.',
    'deletion.kept.whatsapp': 'WhatsApp (Meta) keeps its own copy of messages for up to 30 days.',
  },
  es: {
    'layout.languages': 'Otros idiomas',

    'status.title': 'Solicitud de borrado de datos',
    'status.code': 'Código de confirmación: <code>{{code}}</code>',
    'status.receivedOn': 'Recibida: {{date}}',
    'status.status': 'Estado: <strong>{{status}}</strong>',
    'status.state.received': 'Recibida: estamos trabajando en ella.',
    'status.state.awaitingConfirmation': 'Esperando tu confirmación en el chat.',
    'status.state.inProgress': 'En curso: estamos borrando tus datos.',
    'status.state.completed': 'Completada.',
    'status.state.failed':
      'Aún no ha terminado: una comprobación encontró datos que quedaban, y ya hemos avisado al equipo.',
    'status.state.cancelled': 'Cancelada a petición tuya: no se borró nada.',
    'status.notFound':
      'No encontramos ninguna solicitud para este enlace, o todavía se está registrando. Comprueba que copiaste el enlace completo o vuelve a intentarlo más tarde.',
    'status.nothingLinked':
      'Este servicio no guarda ningún dato vinculado a tu cuenta de Facebook, así que no había nada que borrar. Si chateaste con un negocio por WhatsApp, escribe <em>borra mis datos</em> en ese chat para borrar lo que ese negocio tiene sobre ti.',
    'status.howTo': 'Consulta <a href="{{href}}">cómo borrar tus datos</a>.',

    'deletion.title': 'Cómo borrar tus datos',
    'deletion.intro':
      'Los negocios usan este servicio para recibir pedidos y atender a sus clientes por WhatsApp. Cada negocio decide sobre los datos de sus propios clientes; una solicitud a un negocio nunca afecta a otro.',
    'deletion.ways.heading': 'Cómo pedirlo',
    'deletion.ways.chat':
      '<strong>En el chat de WhatsApp</strong> con el negocio: escribe <em>borra mis datos</em> (o <em>delete my data</em>, <em>apague meus dados</em>, <em>supprimer mes données</em>, <em>meine Daten löschen</em>). El bot te explica qué se borra y qué se conserva, te pide que confirmes con un botón y te responde con un código de confirmación. Si antes quieres una copia, escribe <em>qué datos tienen de mí</em>.',
    'deletion.ways.meta':
      '<strong>Desde Facebook / Meta:</strong> al quitar esta app en la configuración de Facebook nos llega una solicitud de borrado; recibes un código de confirmación y un enlace para ver su estado.',
    'deletion.ways.email':
      '<strong>Por correo electrónico:</strong> escribe a <a href="mailto:{{email}}">{{email}}</a> desde cualquier dirección, indicando el negocio y tu número de WhatsApp. Se lo pasamos al negocio, que la lleva a cabo y te responde en un plazo de un mes.',
    'deletion.kept.heading': 'Qué se conserva y por qué',
    'deletion.kept.orders':
      'Los pedidos, anonimizados: productos, importes, fechas y número de pedido, sin nombre, teléfono, dirección ni chat, durante el tiempo que exige la ley contable (10 años, salvo que el negocio haya fijado otro plazo).',
    'deletion.kept.record':
      'Un registro de tu solicitud (código, fechas, recuentos; sin datos personales) durante 3 años, para demostrar que se cumplió.',
    'deletion.kept.whatsapp': 'WhatsApp (Meta) guarda su propia copia de los mensajes hasta 30 días.',
  },
  pt: {
    'layout.languages': 'Outros idiomas',

    'status.title': 'Pedido de exclusão de dados',
    'status.code': 'Código de confirmação: <code>{{code}}</code>',
    'status.receivedOn': 'Recebido: {{date}}',
    'status.status': 'Status: <strong>{{status}}</strong>',
    'status.state.received': 'Recebido: estamos cuidando disso.',
    'status.state.awaitingConfirmation': 'Aguardando sua confirmação na conversa.',
    'status.state.inProgress': 'Em andamento: seus dados estão sendo excluídos.',
    'status.state.completed': 'Concluído.',
    'status.state.failed':
      'Ainda não terminou: uma verificação encontrou dados restantes, e a equipe já foi avisada.',
    'status.state.cancelled': 'Cancelado a seu pedido: nada foi excluído.',
    'status.notFound':
      'Nenhum pedido encontrado para este link, ou ele ainda está sendo registrado. Verifique se você copiou o link inteiro ou tente de novo mais tarde.',
    'status.nothingLinked':
      'Este serviço não guarda nenhum dado vinculado à sua conta do Facebook, então não havia nada para excluir. Se você conversou com uma empresa pelo WhatsApp, escreva <em>apague meus dados</em> nessa conversa para excluir o que essa empresa tem sobre você.',
    'status.howTo': 'Veja <a href="{{href}}">como excluir seus dados</a>.',

    'deletion.title': 'Como excluir seus dados',
    'deletion.intro':
      'Empresas usam este serviço para receber pedidos e atender clientes pelo WhatsApp. Cada empresa decide sobre os dados dos próprios clientes; um pedido feito a uma empresa nunca afeta outra.',
    'deletion.ways.heading': 'Como pedir',
    'deletion.ways.chat':
      '<strong>Na conversa do WhatsApp</strong> com a empresa: escreva <em>apague meus dados</em> (ou <em>delete my data</em>, <em>borra mis datos</em>, <em>supprimer mes données</em>, <em>meine Daten löschen</em>). O bot explica o que é excluído e o que é mantido, pede que você confirme com um botão e responde com um código de confirmação. Se quiser uma cópia antes, escreva <em>quais dados vocês têm sobre mim</em>.',
    'deletion.ways.meta':
      '<strong>Pelo Facebook / Meta:</strong> ao remover este app nas configurações do Facebook, recebemos um pedido de exclusão; você recebe um código de confirmação e um link para acompanhar o status.',
    'deletion.ways.email':
      '<strong>Por e-mail:</strong> escreva para <a href="mailto:{{email}}">{{email}}</a> de qualquer endereço, informando a empresa e seu número de WhatsApp. Repassamos o pedido à empresa, que o executa e responde em até um mês.',
    'deletion.kept.heading': 'O que é mantido, e por quê',
    'deletion.kept.orders':
      'Pedidos, anonimizados: itens, valores, datas e número do pedido, sem nome, telefone, endereço ou conversa, pelo tempo que a legislação contábil exigir (10 anos, a menos que a empresa tenha definido outro prazo).',
    'deletion.kept.record':
      'Um registro do seu pedido (código, datas, contagens; sem dados pessoais) por 3 anos, para comprovar que ele foi atendido.',
    'deletion.kept.whatsapp': 'O WhatsApp (Meta) guarda a própria cópia das mensagens por até 30 dias.',
  },
  fr: {
    'layout.languages': 'Autres langues',

    'status.title': 'Demande de suppression de données',
    'status.code': 'Code de confirmation : <code>{{code}}</code>',
    'status.receivedOn': 'Reçue : {{date}}',
    'status.status': 'Statut : <strong>{{status}}</strong>',
    'status.state.received': 'Reçue : nous nous en occupons.',
    'status.state.awaitingConfirmation': 'En attente de votre confirmation dans la conversation.',
    'status.state.inProgress': 'En cours : vos données sont en train d’être supprimées.',
    'status.state.completed': 'Terminée.',
    'status.state.failed':
      'Pas encore terminée : une vérification a trouvé des données restantes, et l’équipe a été alertée.',
    'status.state.cancelled': 'Annulée à votre demande : rien n’a été supprimé.',
    'status.notFound':
      'Aucune demande trouvée pour ce lien, ou elle est encore en cours d’enregistrement. Vérifiez que vous avez copié le lien en entier, ou réessayez plus tard.',
    'status.nothingLinked':
      'Ce service ne conserve aucune donnée liée à votre compte Facebook : il n’y avait donc rien à supprimer. Si vous avez échangé avec une entreprise sur WhatsApp, écrivez <em>supprimer mes données</em> dans cette conversation pour supprimer ce que cette entreprise détient sur vous.',
    'status.howTo': 'Voir <a href="{{href}}">comment supprimer vos données</a>.',

    'deletion.title': 'Comment supprimer vos données',
    'deletion.intro':
      'Des entreprises utilisent ce service pour prendre des commandes et répondre à leurs clients sur WhatsApp. Chaque entreprise décide des données de ses propres clients ; une demande faite à une entreprise ne touche jamais celles d’une autre.',
    'deletion.ways.heading': 'Comment faire la demande',
    'deletion.ways.chat':
      '<strong>Dans la conversation WhatsApp</strong> avec l’entreprise : écrivez <em>supprimer mes données</em> (ou <em>delete my data</em>, <em>borra mis datos</em>, <em>apague meus dados</em>, <em>meine Daten löschen</em>). Le bot explique ce qui est supprimé et ce qui est conservé, vous demande de confirmer avec un bouton et répond avec un code de confirmation. Pour obtenir d’abord une copie, écrivez <em>quelles données avez-vous sur moi</em>.',
    'deletion.ways.meta':
      '<strong>Via Facebook / Meta :</strong> supprimer cette application dans vos paramètres Facebook nous envoie une demande de suppression ; vous recevez un code de confirmation et un lien de suivi.',
    'deletion.ways.email':
      '<strong>Par e-mail :</strong> écrivez à <a href="mailto:{{email}}">{{email}}</a> depuis n’importe quelle adresse, en indiquant l’entreprise et votre numéro WhatsApp. Nous transmettons la demande à l’entreprise, qui la traite et vous répond sous un mois.',
    'deletion.kept.heading': 'Ce qui est conservé, et pourquoi',
    'deletion.kept.orders':
      'Les commandes, anonymisées : articles, montants, dates et numéro de commande, sans nom, téléphone, adresse ni conversation, aussi longtemps que la loi comptable l’exige (10 ans, sauf si l’entreprise a fixé une autre durée).',
    'deletion.kept.record':
      'Une trace de votre demande (code, dates, nombres d’éléments ; aucune donnée personnelle) pendant 3 ans, pour prouver qu’elle a été traitée.',
    'deletion.kept.whatsapp': 'WhatsApp (Meta) conserve sa propre copie des messages jusqu’à 30 jours.',
  },
  de: {
    'layout.languages': 'Andere Sprachen',

    'status.title': 'Antrag auf Löschung Ihrer Daten',
    'status.code': 'Bestätigungscode: <code>{{code}}</code>',
    'status.receivedOn': 'Eingegangen: {{date}}',
    'status.status': 'Status: <strong>{{status}}</strong>',
    'status.state.received': 'Eingegangen: Wir kümmern uns darum.',
    'status.state.awaitingConfirmation': 'Wartet auf Ihre Bestätigung im Chat.',
    'status.state.inProgress': 'In Bearbeitung: Ihre Daten werden gerade gelöscht.',
    'status.state.completed': 'Abgeschlossen.',
    'status.state.failed':
      'Noch nicht abgeschlossen: Eine Prüfung hat verbliebene Daten gefunden, und das Team wurde benachrichtigt.',
    'status.state.cancelled': 'Auf Ihren Wunsch abgebrochen: Es wurde nichts gelöscht.',
    'status.notFound':
      'Zu diesem Link wurde kein Antrag gefunden, oder er wird gerade noch erfasst. Prüfen Sie, ob Sie den ganzen Link kopiert haben, oder versuchen Sie es später noch einmal.',
    'status.nothingLinked':
      'Dieser Dienst speichert keine Daten, die mit Ihrem Facebook-Konto verknüpft sind, daher gab es nichts zu löschen. Wenn Sie über WhatsApp mit einem Unternehmen gechattet haben, schreiben Sie in diesem Chat <em>meine Daten löschen</em>, um zu löschen, was dieses Unternehmen über Sie gespeichert hat.',
    'status.howTo': 'Mehr dazu: <a href="{{href}}">So löschen Sie Ihre Daten</a>.',

    'deletion.title': 'So löschen Sie Ihre Daten',
    'deletion.intro':
      'Unternehmen nutzen diesen Dienst, um über WhatsApp Bestellungen anzunehmen und Kunden zu antworten. Jedes Unternehmen entscheidet über die Daten seiner eigenen Kunden; ein Antrag an ein Unternehmen betrifft nie ein anderes.',
    'deletion.ways.heading': 'So stellen Sie den Antrag',
    'deletion.ways.chat':
      '<strong>Im WhatsApp-Chat</strong> mit dem Unternehmen: Schreiben Sie <em>meine Daten löschen</em> (oder <em>delete my data</em>, <em>borra mis datos</em>, <em>apague meus dados</em>, <em>supprimer mes données</em>). Der Bot erklärt, was gelöscht und was aufbewahrt wird, bittet Sie, per Button zu bestätigen, und antwortet mit einem Bestätigungscode. Wenn Sie vorher eine Kopie möchten, schreiben Sie <em>welche Daten haben Sie über mich</em>.',
    'deletion.ways.meta':
      '<strong>Über Facebook / Meta:</strong> Wenn Sie diese App in Ihren Facebook-Einstellungen entfernen, erhalten wir einen Löschantrag; Sie bekommen einen Bestätigungscode und einen Link zum Status.',
    'deletion.ways.email':
      '<strong>Per E-Mail:</strong> Schreiben Sie von einer beliebigen Adresse an <a href="mailto:{{email}}">{{email}}</a> und nennen Sie das Unternehmen und Ihre WhatsApp-Nummer. Wir leiten den Antrag an das Unternehmen weiter, das ihn ausführt und innerhalb eines Monats antwortet.',
    'deletion.kept.heading': 'Was aufbewahrt wird, und warum',
    'deletion.kept.orders':
      'Bestellungen, anonymisiert: Artikel, Beträge, Datumsangaben und Bestellnummer, ohne Name, Telefonnummer, Adresse oder Chat, so lange, wie es das Buchhaltungsrecht verlangt (10 Jahre, sofern das Unternehmen nichts anderes festgelegt hat).',
    'deletion.kept.record':
      'Ein Nachweis Ihres Antrags (Code, Datumsangaben, Anzahlen; keine personenbezogenen Daten) für 3 Jahre, um zu belegen, dass er ausgeführt wurde.',
    'deletion.kept.whatsapp': 'WhatsApp (Meta) bewahrt eine eigene Kopie der Nachrichten bis zu 30 Tage auf.',
  },
});
