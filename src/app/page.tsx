import { getTranslations } from "next-intl/server";
import { LandingActions } from "@/components/landing/landing-actions";
import styles from "@/components/landing/landing.module.css";

const features = ["local", "credits", "live"] as const;

export default async function LandingPage() {
  const t = await getTranslations("landing");
  return (
    <div className="container">
      <section className={styles.hero}>
        <p className={`pill ${styles.eyebrow}`}>{t("eyebrow")}</p>
        <h1 className={styles.title}>{t("title")}</h1>
        <p className={styles.lead}>{t("lead")}</p>
        <LandingActions />
      </section>
      <ul className={styles.features}>
        {features.map((feature) => (
          <li key={feature} className="card">
            <h2>{t(`features.${feature}Title`)}</h2>
            <p className="muted">{t(`features.${feature}Text`)}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
