import "server-only";
import nodemailer from "nodemailer";
import { mailOutbox } from "../db/schema";
import type { Db } from "../db/types";
import type { Env } from "../env";

export type Mail = { to: string; subject: string; text: string; html?: string };
export type Mailer = { send(mail: Mail): Promise<void> };

/**
 * SMTP when SMTP_URL is set. Without it mail goes to an outbox table that admins read in the app,
 * and the message (with its link) is logged so a single-user install can still verify and reset.
 */
export function createMailer(env: Pick<Env, "SMTP_URL" | "MAIL_FROM">, db: Db, log: (msg: string) => void): Mailer {
  const transport = env.SMTP_URL ? nodemailer.createTransport(env.SMTP_URL) : undefined;
  return {
    async send(mail) {
      if (transport) {
        await transport.sendMail({ from: env.MAIL_FROM, ...mail });
        return;
      }
      await db.insert(mailOutbox).values({ ...mail, transport: "outbox" });
      log(`[mail outbox] to=${mail.to} subject="${mail.subject}"\n${mail.text}`);
    },
  };
}
