import { defineMessages } from './define.js';

/**
 * Texts of the appointments namespace (keys: `appointments:<key>`): what the customer is told when the
 * business books, moves or cancels their appointment (src/appointments/notices.ts), the calendar file's
 * caption and contents, the reminder with its buttons (src/appointments/reminders.ts), the staff's notices of
 * what customers did, and the appointment lines of the erasure receipt and of the readable data export.
 */
export const appointmentsMessages = defineMessages({
  en: {
    'notice.bookedByStaff':
      'We booked you for {{service}} with {{resource}} on {{when}} (appointment {{number}}). Reply here if you need to change it.',
    'notice.movedByStaff':
      'Your appointment {{number}} for {{service}} has been moved to {{when}}, with {{resource}}. Reply here if the new time does not suit you.',
    'notice.cancelledByBusiness':
      'Sorry, {{business}} had to cancel your appointment {{number}} for {{service}} on {{when}}. Reply here to find a new time.',
    'ics.caption': 'Add it to your calendar: {{service}}, {{when}}.',
    'ics.description': 'Appointment {{number}} with {{resource}}',
    'reminder.text':
      'Reminder: {{service}} with {{resource}} at {{business}}, {{when}} (appointment {{number}}). Will you come?',
    'reminder.button.confirm': 'I’ll be there',
    'reminder.button.move': 'Reschedule',
    'reminder.button.cancel': 'Cancel it',
    'staff.booked':
      'New appointment {{number}}: {{service}} with {{resource}}, {{when}}. Booked in the chat.',
    'staff.moved':
      'Appointment {{number}} moved by the customer: {{service}} with {{resource}}, now {{when}} (was {{previous}}).',
    'staff.cancelled':
      'Appointment {{number}} cancelled by the customer: {{service}} with {{resource}}, {{when}}. The time is free again.',
    'erasure.receipt_one':
      'Cancelled: appointment {{appointments}}, because your data was deleted; the business has been told.',
    'erasure.receipt_other':
      'Cancelled: appointments {{appointments}}, because your data was deleted; the business has been told.',
    'erasure.staff_one':
      'Appointment {{appointments}} cancelled: the customer deleted their data. The time is free again.',
    'erasure.staff_other':
      'Appointments {{appointments}} cancelled: the customer deleted their data. The times are free again.',
    'document.heading': 'Appointments ({{total}})',
    'document.none': 'No appointments.',
    'document.line': '{{number}} · {{service}} with {{resource}} · {{when}} · {{status}}',
    'status.booked': 'booked',
    'status.cancelled': 'cancelled',
    'status.completed': 'took place',
    'status.noShow': 'missed',
    'ics.filename': 'appointment-{{number}}.ics',
    'ics.cancelCaption': 'Cancelled: {{service}}, {{when}}. Open the file to remove it from your calendar.',
    'notice.change.booked': 'booked',
    'notice.change.moved': 'moved',
    'notice.change.cancelled': 'cancelled',
  },
  es: {
    'notice.bookedByStaff':
      'Te reservamos {{service}} con {{resource}} el {{when}} (cita {{number}}). Responde aquí si necesitas cambiarla.',
    'notice.movedByStaff':
      'Tu cita {{number}} de {{service}} se ha cambiado al {{when}}, con {{resource}}. Responde aquí si la nueva hora no te va bien.',
    'notice.cancelledByBusiness':
      'Lo sentimos, {{business}} tuvo que cancelar tu cita {{number}} de {{service}} del {{when}}. Responde aquí para buscar otra hora.',
    'ics.caption': 'Añádela a tu calendario: {{service}}, {{when}}.',
    'ics.description': 'Cita {{number}} con {{resource}}',
    'reminder.text':
      'Recordatorio: {{service}} con {{resource}} en {{business}}, {{when}} (cita {{number}}). ¿Vendrás?',
    'reminder.button.confirm': 'Allí estaré',
    'reminder.button.move': 'Cambiar hora',
    'reminder.button.cancel': 'Cancelarla',
    'staff.booked': 'Nueva cita {{number}}: {{service}} con {{resource}}, {{when}}. Reservada en el chat.',
    'staff.moved':
      'Cita {{number}} cambiada por el cliente: {{service}} con {{resource}}, ahora {{when}} (antes {{previous}}).',
    'staff.cancelled':
      'Cita {{number}} cancelada por el cliente: {{service}} con {{resource}}, {{when}}. La hora vuelve a estar libre.',
    'erasure.receipt_one':
      'Cancelada: la cita {{appointments}}, porque se borraron tus datos; ya se avisó al negocio.',
    'erasure.receipt_other':
      'Canceladas: las citas {{appointments}}, porque se borraron tus datos; ya se avisó al negocio.',
    'erasure.staff_one':
      'Cita {{appointments}} cancelada: el cliente borró sus datos. La hora vuelve a estar libre.',
    'erasure.staff_other':
      'Citas {{appointments}} canceladas: el cliente borró sus datos. Las horas vuelven a estar libres.',
    'document.heading': 'Citas ({{total}})',
    'document.none': 'Ninguna cita.',
    'document.line': '{{number}} · {{service}} con {{resource}} · {{when}} · {{status}}',
    'status.booked': 'reservada',
    'status.cancelled': 'cancelada',
    'status.completed': 'realizada',
    'status.noShow': 'no asistida',
    'ics.filename': 'cita-{{number}}.ics',
    'ics.cancelCaption': 'Cancelada: {{service}}, {{when}}. Abre el archivo para quitarla de tu calendario.',
    'notice.change.booked': 'reservada',
    'notice.change.moved': 'cambiada de hora',
    'notice.change.cancelled': 'cancelada',
  },
  pt: {
    'notice.bookedByStaff':
      'Marcamos {{service}} com {{resource}} para {{when}} (agendamento {{number}}). Responda aqui se precisar mudar.',
    'notice.movedByStaff':
      'Seu agendamento {{number}} de {{service}} foi mudado para {{when}}, com {{resource}}. Responda aqui se o novo horário não for bom para você.',
    'notice.cancelledByBusiness':
      'Desculpe, {{business}} precisou cancelar seu agendamento {{number}} de {{service}} em {{when}}. Responda aqui para achar outro horário.',
    'ics.caption': 'Adicione à sua agenda: {{service}}, {{when}}.',
    'ics.description': 'Agendamento {{number}} com {{resource}}',
    'reminder.text':
      'Lembrete: {{service}} com {{resource}} em {{business}}, {{when}} (agendamento {{number}}). Você vem?',
    'reminder.button.confirm': 'Estarei lá',
    'reminder.button.move': 'Remarcar',
    'reminder.button.cancel': 'Cancelar',
    'staff.booked': 'Novo agendamento {{number}}: {{service}} com {{resource}}, {{when}}. Marcado no chat.',
    'staff.moved':
      'Agendamento {{number}} remarcado pelo cliente: {{service}} com {{resource}}, agora {{when}} (antes {{previous}}).',
    'staff.cancelled':
      'Agendamento {{number}} cancelado pelo cliente: {{service}} com {{resource}}, {{when}}. O horário ficou livre.',
    'erasure.receipt_one':
      'Cancelado: o agendamento {{appointments}}, porque seus dados foram apagados; o estabelecimento já foi avisado.',
    'erasure.receipt_other':
      'Cancelados: os agendamentos {{appointments}}, porque seus dados foram apagados; o estabelecimento já foi avisado.',
    'erasure.staff_one':
      'Agendamento {{appointments}} cancelado: o cliente apagou seus dados. O horário ficou livre.',
    'erasure.staff_other':
      'Agendamentos {{appointments}} cancelados: o cliente apagou seus dados. Os horários ficaram livres.',
    'document.heading': 'Agendamentos ({{total}})',
    'document.none': 'Nenhum agendamento.',
    'document.line': '{{number}} · {{service}} com {{resource}} · {{when}} · {{status}}',
    'status.booked': 'marcado',
    'status.cancelled': 'cancelado',
    'status.completed': 'realizado',
    'status.noShow': 'faltou',
    'ics.filename': 'marcacao-{{number}}.ics',
    'ics.cancelCaption': 'Cancelado: {{service}}, {{when}}. Abra o arquivo para tirá-lo da sua agenda.',
    'notice.change.booked': 'marcado',
    'notice.change.moved': 'remarcado',
    'notice.change.cancelled': 'cancelado',
  },
  fr: {
    'notice.bookedByStaff':
      'Nous vous avons réservé {{service}} avec {{resource}} le {{when}} (rendez-vous {{number}}). Répondez ici pour le modifier.',
    'notice.movedByStaff':
      'Votre rendez-vous {{number}} pour {{service}} a été déplacé au {{when}}, avec {{resource}}. Répondez ici si le nouvel horaire ne vous convient pas.',
    'notice.cancelledByBusiness':
      'Désolé, {{business}} a dû annuler votre rendez-vous {{number}} pour {{service}} du {{when}}. Répondez ici pour trouver un autre horaire.',
    'ics.caption': 'Ajoutez-le à votre agenda : {{service}}, {{when}}.',
    'ics.description': 'Rendez-vous {{number}} avec {{resource}}',
    'reminder.text':
      'Rappel : {{service}} avec {{resource}} chez {{business}}, {{when}} (rendez-vous {{number}}). Vous venez ?',
    'reminder.button.confirm': 'Je serai là',
    'reminder.button.move': 'Déplacer',
    'reminder.button.cancel': 'Annuler',
    'staff.booked':
      'Nouveau rendez-vous {{number}} : {{service}} avec {{resource}}, {{when}}. Réservé dans le chat.',
    'staff.moved':
      'Rendez-vous {{number}} déplacé par le client : {{service}} avec {{resource}}, désormais {{when}} (avant : {{previous}}).',
    'staff.cancelled':
      'Rendez-vous {{number}} annulé par le client : {{service}} avec {{resource}}, {{when}}. Le créneau est de nouveau libre.',
    'erasure.receipt_one':
      'Annulé : le rendez-vous {{appointments}}, car vos données ont été supprimées ; l’établissement a été prévenu.',
    'erasure.receipt_other':
      'Annulés : les rendez-vous {{appointments}}, car vos données ont été supprimées ; l’établissement a été prévenu.',
    'erasure.staff_one':
      'Rendez-vous {{appointments}} annulé : le client a supprimé ses données. Le créneau est de nouveau libre.',
    'erasure.staff_other':
      'Rendez-vous {{appointments}} annulés : le client a supprimé ses données. Les créneaux sont de nouveau libres.',
    'document.heading': 'Rendez-vous ({{total}})',
    'document.none': 'Aucun rendez-vous.',
    'document.line': '{{number}} · {{service}} avec {{resource}} · {{when}} · {{status}}',
    'status.booked': 'réservé',
    'status.cancelled': 'annulé',
    'status.completed': 'honoré',
    'status.noShow': 'manqué',
    'ics.filename': 'rendez-vous-{{number}}.ics',
    'ics.cancelCaption': 'Annulé : {{service}}, {{when}}. Ouvrez le fichier pour le retirer de votre agenda.',
    'notice.change.booked': 'réservé',
    'notice.change.moved': 'déplacé',
    'notice.change.cancelled': 'annulé',
  },
  de: {
    'notice.bookedByStaff':
      'Wir haben für Sie {{service}} bei {{resource}} am {{when}} gebucht (Termin {{number}}). Antworten Sie hier, wenn Sie ihn ändern möchten.',
    'notice.movedByStaff':
      'Ihr Termin {{number}} für {{service}} wurde auf {{when}} verlegt, bei {{resource}}. Antworten Sie hier, wenn die neue Zeit nicht passt.',
    'notice.cancelledByBusiness':
      'Leider musste {{business}} Ihren Termin {{number}} für {{service}} am {{when}} absagen. Antworten Sie hier, um einen neuen Termin zu finden.',
    'ics.caption': 'Für Ihren Kalender: {{service}}, {{when}}.',
    'ics.description': 'Termin {{number}} bei {{resource}}',
    'reminder.text':
      'Erinnerung: {{service}} bei {{resource}}, {{business}}, {{when}} (Termin {{number}}). Kommen Sie?',
    'reminder.button.confirm': 'Ich komme',
    'reminder.button.move': 'Verschieben',
    'reminder.button.cancel': 'Absagen',
    'staff.booked': 'Neuer Termin {{number}}: {{service}} bei {{resource}}, {{when}}. Im Chat gebucht.',
    'staff.moved':
      'Termin {{number}} vom Kunden verlegt: {{service}} bei {{resource}}, jetzt {{when}} (vorher {{previous}}).',
    'staff.cancelled':
      'Termin {{number}} vom Kunden abgesagt: {{service}} bei {{resource}}, {{when}}. Die Zeit ist wieder frei.',
    'erasure.receipt_one':
      'Abgesagt: Termin {{appointments}}, weil Ihre Daten gelöscht wurden; das Geschäft wurde informiert.',
    'erasure.receipt_other':
      'Abgesagt: die Termine {{appointments}}, weil Ihre Daten gelöscht wurden; das Geschäft wurde informiert.',
    'erasure.staff_one':
      'Termin {{appointments}} abgesagt: Der Kunde hat seine Daten gelöscht. Die Zeit ist wieder frei.',
    'erasure.staff_other':
      'Termine {{appointments}} abgesagt: Der Kunde hat seine Daten gelöscht. Die Zeiten sind wieder frei.',
    'document.heading': 'Termine ({{total}})',
    'document.none': 'Keine Termine.',
    'document.line': '{{number}} · {{service}} bei {{resource}} · {{when}} · {{status}}',
    'status.booked': 'gebucht',
    'status.cancelled': 'abgesagt',
    'status.completed': 'wahrgenommen',
    'status.noShow': 'nicht erschienen',
    'ics.filename': 'termin-{{number}}.ics',
    'ics.cancelCaption':
      'Abgesagt: {{service}}, {{when}}. Öffnen Sie die Datei, um ihn aus Ihrem Kalender zu entfernen.',
    'notice.change.booked': 'gebucht',
    'notice.change.moved': 'verlegt',
    'notice.change.cancelled': 'abgesagt',
  },
});
