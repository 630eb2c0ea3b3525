import type { PromptId } from './ru.js';

/* The English catalogue: the same keys as prompts/ru.ts (the type checker holds them equal). */
export const en = {
  greeting: 'Hello! You have reached the Yantarenergosbyt contact center.',
  language_offer: 'Для русского языка нажмите девять.',
  main_menu: 'For reference information: offices, payment, sending meter readings and answer deadlines, press one. '
    + 'To send a meter reading, press two. To hear your account balance, press three. To hear the status of an appeal, press four. '
    + 'To speak to an operator, press zero. To repeat, press star.',
  info_menu: 'Customer service offices and their hours, press one. How to pay, two. How to send meter readings, three. '
    + 'Answer deadlines for appeals, four. The internet reception and the personal account, five. Main menu, pound.',
  info_offices_intro: 'Customer service offices.',
  info_office: '{city}, {address}. {hours}.',
  info_payment: 'You can pay without commission by bank card in the personal account on the company website. '
    + 'Banks, post offices and payment terminals also accept payments. Please state your account number.',
  info_readings: 'You can send meter readings in the personal account on the company website, through the Yantarenergosbyt Telegram bot, '
    + 'or by this phone line: press two in the main menu.',
  info_deadlines: 'Answer deadlines. A paper letter, an appeal through the official website, and a complaint received in a customer office: '
    + 'up to thirty calendar days. A request from a state authority or a supervisory body: up to fifteen calendar days or the date it sets. '
    + 'An appeal outside the company\'s competence, or one whose text cannot be read: up to seven calendar days.',
  info_online: 'The internet reception on the company website is open around the clock: fill in the form and attach documents as jpeg or pdf. '
    + 'In the personal account you can see charges and payments, send readings, pay by card without commission, '
    + 'get an electronic bill and leave an appeal.',
  enter_account: 'Enter your account number, then press pound.',
  confirm_identified_account: 'Your account number ends in {last}. Is that right? Press one for yes, two for no.',
  account_readback: 'You entered account {digits}. Press one if that is right, two to enter it again.',
  account_not_found: 'No account with that number was found.',
  enter_reading_single: 'Enter the meter reading, whole kilowatt-hours only, then press pound.',
  enter_reading_day: 'Enter the day reading, whole kilowatt-hours only, then press pound.',
  enter_reading_night: 'Enter the night reading, then press pound.',
  reading_readback: 'You entered {value}. Press one if that is right, two to enter it again.',
  reading_below_last: 'The reading cannot be lower than the previous one: {last}.',
  reading_jump_warning: 'Please note: that means a consumption of {delta}, far more than usual. If the reading is right, press one; to enter it again, two.',
  reading_saved: 'Thank you, your reading has been accepted.',
  reading_failed: 'We could not save the reading. Please try again later.',
  balance_debt: 'The amount due on your account is {amount}.',
  balance_credit: 'Your account is in credit by {amount}.',
  balance_zero: 'Nothing is due on your account.',
  balance_last_payment: 'The last payment, on {date}, was {amount}.',
  balance_no_payments: 'There have been no payments on this account yet.',
  enter_appeal: 'Enter the appeal number, then press pound.',
  appeal_not_found: 'No appeal with that number was found.',
  appeal_status: 'Appeal number {digits}: {status}. Answer due by {date}.',
  appeal_status_registered: 'registered',
  appeal_status_in_progress: 'under review',
  appeal_status_answered: 'answer sent',
  appeal_status_closed: 'closed',
  queue_entered: 'Connecting you to an operator. Please stay on the line.',
  queue_position: 'You are number {position} in the queue.',
  queue_next: 'You are next in the queue.',
  queue_estimate: 'The estimated waiting time is {minutes}.',
  queue_no_agents: 'All operators are busy at the moment. Please stay on the line.',
  queue_timeout: 'Sorry, no operator can answer right now. Please call again later or use the personal account on the company website. Goodbye!',
  callback_offer: 'To be called back without losing your place in the queue, press one.',
  callback_readback: 'We will call you back on {number}. If that number is right, press one. To enter another number, press two.',
  callback_enter_number: 'Enter your phone number with the area code, then press pound.',
  callback_number_invalid: 'That number was not recognised. We need a Russian number: ten digits with the area code, optionally with an eight in front.',
  callback_accepted: 'Thank you. We will call you back as soon as your turn comes. Goodbye!',
  callback_failed: 'We could not book the callback. Please stay on the line.',
  center_closed: 'The contact center is closed now.',
  center_opens: 'We open {when}.',
  callback_offer_later: 'To be called back when the contact center opens, press one. For the main menu, press pound.',
  callback_accepted_later: 'Thank you. We will call you back {when}. Goodbye!',
  recording_notice: 'This call may be recorded for quality assurance.',
  no_input: 'We did not hear your choice.',
  invalid_key: 'That key is not in the menu.',
  too_many_digits: 'Too many digits.',
  service_unavailable: 'The service is temporarily unavailable.',
  goodbye: 'Thank you for calling. Goodbye!',
  survey_question: 'Please rate our service: press one to five, where five is excellent.',
  survey_wrong_key: 'The rating is a digit from one to five.',
  survey_thanks: 'Thank you for your rating! Goodbye.',
} as const satisfies Record<PromptId, string>;
